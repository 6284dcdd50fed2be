import { describe, expect, it } from 'vitest';
import {
  add, dispose, grads, matmul, memory, mul, sub, sum, tensor, tidy, type Tensor,
} from '@mapnn/core';
import { CASES, GOLDEN, opsOf } from './cases/index.js';
import { caseInputs, caseLoss, diffIndices } from './golden.js';
import type { ResolvedOptions } from './types.js';
import { asList, call, fromSpec, prng, read } from './util.js';

const count = () => memory().numTensors;

function randomTensor(shape: number[], rnd: () => number, scale = 1): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tensor(Array.from({ length: n }, () => (rnd() * 2 - 1) * scale), shape);
}

/**
 * Memory tests: every golden case's forward + backward inside `tidy` leaves the tensor count
 * unchanged, and training-like loops do not leak.
 */
export function memorySuite(o: ResolvedOptions): void {
  describe('memory', () => {
    describe('forward + backward inside tidy leaves memory().numTensors unchanged', () => {
      for (const file of GOLDEN) {
        for (const c of file.cases) {
          it.skipIf(o.isExcluded('memory', c.name, ...opsOf(c)))(`${file.family}/${c.name}`, () => {
            const inputs = caseInputs(c);
            const rs = c.r ? asList(c.r).map((s) => fromSpec(s)) : [];
            try {
              const before = count();
              tidy(() => {
                if (c.grads && c.r) {
                  const wrt = diffIndices(c);
                  grads(caseLoss(c, inputs, rs))(...wrt.map((i) => inputs[i]!));
                } else {
                  CASES[c.op]!.run(inputs, c.attrs);
                }
              });
              expect(count() - before, `${c.name}: tensors left behind`).toBe(0);
            } finally {
              dispose([inputs, rs]);
            }
          });
        }
      }
    });

    it.skipIf(o.isExcluded('memory', 'backward'))('backward() in tidy leaves only the .grad tensors', () => {
      const x = tensor([[0.5, -1, 2], [1, 0.25, -0.5]]).requiresGrad_();
      const w = tensor([[1, 2], [0.5, -1], [0, 3]]).requiresGrad_();
      const before = count();
      tidy(() => sum(mul(matmul(x, w), matmul(x, w))).backward());
      expect(count() - before).toBe(2);
      expect(x.grad?.shape).toEqual([2, 3]);
      dispose([x, w]); // disposes their .grad too
      expect(count()).toBe(before - 2);
    });

    it.skipIf(o.isExcluded('memory', 'distinct-grads'))('gradients of different inputs are distinct tensors', async () => {
      // add passes dy unchanged to both operands: each input must still get its own tensor,
      // or disposing one (or its leaf) frees the other
      const x = tensor([1, 2]).requiresGrad_();
      const y = tensor([3, 4]).requiresGrad_();
      sum(mul(add(x, y), 2)).backward();
      expect(x.grad === y.grad, 'x.grad and y.grad are one object').toBe(false);
      x.dispose();
      expect(await read(y.grad!)).toEqual([2, 2]);
      y.dispose();
      const a = tensor([1, 2]);
      const b = tensor([3, 4]);
      const [ga, gb] = grads((p, q) => sum(mul(add(p, q), 2)))(a, b);
      expect(ga === gb, 'grads() returned one object for two inputs').toBe(false);
      ga!.dispose();
      expect(await read(gb!)).toEqual([2, 2]);
      dispose([a, b, gb]);
    });

    it.skipIf(o.isExcluded('memory', 'training-loop'))('100 steps of a functional training loop leave the tensor count unchanged', async () => {
      const rnd = prng(7);
      const x = randomTensor([16, 4], rnd);
      const labels = Array.from({ length: 16 }, (_, i) => i % 3);
      const y = tensor(labels.flatMap((l) => [0, 1, 2].map((k) => (k === l ? 1 : 0))), [16, 3]);
      const params = [randomTensor([4, 8], rnd, 0.5), tensor(new Array(8).fill(0), [8]), randomTensor([8, 3], rnd, 0.5)];
      const lossFn = (w1: Tensor, b1: Tensor, w2: Tensor) => {
        const h = call('relu', add(matmul(x, w1), b1));
        const logp = call('logSoftmax', matmul(h, w2), -1);
        return call('mean', call('neg', sum(mul(logp, y), -1)));
      };
      const losses: number[] = [];
      const before = count();
      for (let step = 0; step < 100; step++) {
        const loss = tidy(() => {
          const l = lossFn(params[0]!, params[1]!, params[2]!);
          const gs = grads(lossFn)(...params);
          params.forEach((p, i) => p.assign(sub(p, mul(gs[i]!, 0.2))));
          return l;
        });
        if (step === 0 || step === 99) losses.push((await read(loss))[0]!);
        loss.dispose();
        if (step === 0) expect(count(), 'after the first step').toBe(before);
      }
      expect(count() - before, 'tensors leaked over 100 steps').toBe(0);
      expect(losses[1]!, 'the loop should train').toBeLessThan(losses[0]!);
      dispose([x, y, params]);
    });

    it.skipIf(o.isExcluded('memory', 'training-loop-backward'))('100 steps with backward() and .grad updates leave the tensor count unchanged', () => {
      const rnd = prng(11);
      const x = randomTensor([8, 3], rnd);
      const t = randomTensor([8, 1], rnd);
      const w = randomTensor([3, 1], rnd).requiresGrad_();
      const before = count();
      for (let step = 0; step < 100; step++) {
        tidy(() => {
          const err = sub(matmul(x, w), t);
          sum(mul(err, err)).backward();
          w.assign(sub(w, mul(w.grad!, 0.01)));
        });
        w.grad!.dispose();
        w.grad = null;
      }
      expect(count() - before, 'tensors leaked over 100 steps').toBe(0);
      dispose([x, t, w]);
    });
  });
}
