// Golden tests of the losses against PyTorch 1.13: fixtures written by
// scripts/gen_loss_golden.py (value and gradients of sum(loss·r) w.r.t. the input, and the
// target where PyTorch gives one).
import '@mapnn/backend-cpu';
import { readFileSync } from 'node:fs';
import { dispose, grads, memory, mul, setBackend, sum, tensor, tidy, type Tensor } from '@mapnn/core';
import { beforeAll, describe, expect, it } from 'vitest';
import * as L from '../index-losses.js';

interface Spec {
  shape: number[];
  dtype: 'float32' | 'int64' | 'int32';
  data: number[];
}
interface Case {
  name: string;
  loss: string;
  args: Record<string, Spec>;
  options: Record<string, unknown>;
  output: Spec;
  r: Spec;
  grads: Record<string, Spec>;
}

const fixture = JSON.parse(readFileSync(new URL('../../fixtures/losses.json', import.meta.url), 'utf8')) as { cases: Case[] };

const RTOL = 1e-5;
const ATOL = 1e-6;

const isSpec = (v: unknown): v is Spec => typeof v === 'object' && v !== null && 'shape' in v && 'data' in v;
const fromSpec = (s: Spec): Tensor => tensor(s.data, s.shape, s.dtype);

type AnyLoss = (...args: unknown[]) => Tensor;

/** The mapnn call of a case: its functional loss with the fixture's arguments and options. */
function run(c: Case, args: Tensor[], options: Record<string, unknown>): Tensor {
  const f = (L as unknown as Record<string, AnyLoss>)[c.loss];
  if (typeof f !== 'function') throw new Error(`no loss '${c.loss}' exported from index-losses`);
  return f(...args, options);
}

function optionsOf(c: Case): Record<string, unknown> {
  return Object.fromEntries(Object.entries(c.options).map(([k, v]) => [k, isSpec(v) ? fromSpec(v) : v]));
}

/** |a − e| ≤ RTOL·|e| + ATOL·max(1, max|e|); returns a message or null. */
function mismatch(actual: Tensor, want: Spec, what: string): string | null {
  if (actual.shape.length !== want.shape.length || actual.shape.some((d, i) => d !== want.shape[i])) {
    return `${what}: shape [${actual.shape}] vs expected [${want.shape}]`;
  }
  if (actual.dtype !== 'float32') return `${what}: dtype ${actual.dtype}, expected float32`;
  const a = actual.dataSync();
  const scale = Math.max(1, ...want.data.map(Math.abs));
  for (let i = 0; i < want.data.length; i++) {
    const e = want.data[i]!;
    if (!(Math.abs(a[i]! - e) <= RTOL * Math.abs(e) + ATOL * scale)) {
      return `${what}: element ${i} is ${a[i]}, expected ${e}`;
    }
  }
  return null;
}

beforeAll(() => {
  setBackend('cpu');
});

describe('losses: golden values and gradients (PyTorch 1.13)', () => {
  it('covers every exported functional loss', () => {
    const covered = new Set(fixture.cases.map((c) => c.loss));
    for (const name of [
      'mseLoss', 'l1Loss', 'huberLoss', 'smoothL1Loss', 'bceLoss', 'bceWithLogitsLoss', 'crossEntropyLoss', 'nllLoss',
      'hingeEmbeddingLoss', 'hingeLoss', 'multiMarginLoss', 'multilabelMarginLoss', 'klDivLoss', 'focalLoss',
      'softmaxFocalLoss', 'cosineEmbeddingLoss', 'softTargetDistillationLoss',
    ]) {
      expect(covered.has(name), name).toBe(true);
    }
  });

  for (const c of fixture.cases) {
    it(c.name, () => {
      const before = memory().numTensors;
      const names = Object.keys(c.args);
      const args = names.map((k) => fromSpec(c.args[k]!));
      const options = optionsOf(c);
      const r = fromSpec(c.r);
      const wrt = Object.keys(c.grads);
      const idx = wrt.map((k) => names.indexOf(k));
      const errors: string[] = [];
      tidy(() => {
        const out = run(c, args, options);
        const e = mismatch(out, c.output, 'output');
        if (e) errors.push(e);
        const gs = grads((...xs: Tensor[]) => {
          const all = args.slice();
          idx.forEach((i, k) => (all[i] = xs[k]!));
          return sum(mul(run(c, all, options), r));
        })(...idx.map((i) => args[i]!));
        gs.forEach((g, k) => {
          const e2 = mismatch(g, c.grads[wrt[k]!]!, `gradient of ${wrt[k]}`);
          if (e2) errors.push(e2);
        });
      });
      dispose([args, r, Object.values(options)]);
      expect(errors, errors.join('\n')).toEqual([]);
      expect(memory().numTensors, 'tensors left behind').toBe(before);
    });
  }
});
