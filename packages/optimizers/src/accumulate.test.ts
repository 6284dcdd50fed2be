import '@mapnn/backend-cpu';
import { setBackend, slice, tidy } from '@mapnn/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { accumulateGradients } from './accumulate.js';
import { optimizerByName } from './registry.js';
import { makeProblem, mismatches, mseLoss } from '../test/problem.js';

beforeAll(() => setBackend('cpu'));

describe('gradient accumulation', () => {
  const configs: [string, Record<string, unknown>][] = [
    ['sgd', { lr: 0.1, momentum: 0.9 }],
    ['adam', { lr: 0.05, amsgrad: true }],
    ['rmsprop', { lr: 0.01, centered: true }],
  ];
  for (const [name, options] of configs) {
    it(`4 micro-batches with losses scaled by 1/4 equal one batch of 8 (${name}, 3 steps)`, () => {
      const big = makeProblem();
      const small = makeProblem();
      const optBig = optimizerByName(name, [big.W, big.b], options);
      const optSmall = optimizerByName(name, [small.W, small.b], options);
      // micro-batches of 2 rows each
      const micro = [0, 2, 4, 6].map((r) => ({ x: slice(small.X, [r], [r + 2]), y: slice(small.y, [r], [r + 2]) }));
      for (let step = 0; step < 3; step++) {
        optBig.zeroGrad();
        const fullLoss = tidy(() => {
          const l = big.loss();
          l.backward();
          return l.item();
        });
        optBig.step();

        optSmall.zeroGrad();
        const accLoss = accumulateGradients(micro, (mb) => mseLoss(small.W, small.b, mb.x, mb.y));
        optSmall.step();

        expect(accLoss).toBeCloseTo(fullLoss, 12);
      }
      const errors = [
        ...mismatches(small.W.dataSync(), [...big.W.dataSync()], 'W', 1e-6, 1e-12),
        ...mismatches(small.b.dataSync(), [...big.b.dataSync()], 'b', 1e-6, 1e-12),
      ];
      expect(errors).toEqual([]);
      for (const m of micro) {
        m.x.dispose();
        m.y.dispose();
      }
      for (const o of [optBig, optSmall]) {
        o.zeroGrad();
        o.dispose();
      }
      big.dispose();
      small.dispose();
    });
  }

  it('the manual pattern (loss·1/N, backward per micro-batch) gives the same gradient', () => {
    const a = makeProblem();
    const b = makeProblem();
    tidy(() => a.loss().backward());
    for (const r of [0, 4]) {
      tidy(() => mseLoss(b.W, b.b, slice(b.X, [r], [r + 4]), slice(b.y, [r], [r + 4])).mul(1 / 2).backward());
    }
    expect(mismatches(b.W.grad!.dataSync(), [...a.W.grad!.dataSync()], 'dW', 1e-12, 1e-14)).toEqual([]);
    expect(mismatches(b.b.grad!.dataSync(), [...a.b.grad!.dataSync()], 'db', 1e-12, 1e-14)).toEqual([]);
    a.dispose();
    b.dispose();
  });

  it('rejects an empty list and non-scalar losses', () => {
    const p = makeProblem();
    expect(() => accumulateGradients([], () => p.loss())).toThrow(/no micro-batches/);
    expect(() => accumulateGradients([0], () => p.W.mul(1))).toThrow(/not a scalar/);
    p.dispose();
  });
});
