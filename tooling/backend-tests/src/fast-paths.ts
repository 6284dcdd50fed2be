import { describe, expect, it } from 'vitest';
import {
  adamStep, add, batchMatmul, dispose, div, fusedMatmul, hasKernel, mul, neg, relu, sqrt, sub, tensor, tidy, type DType, type Tensor,
} from '@mapnn/core';
import { seededData } from './testing.js';
import type { ResolvedOptions } from './types.js';

/** The Adam update composed from elementwise ops: the contract the `adamStep` kernel must meet. */
function composedAdam(p: Tensor, g: Tensor, m: Tensor, v: Tensor, o: AdamCase): Tensor[] {
  const wd = o.weightDecay;
  let gr = o.maximize ? neg(g) : g;
  let pp = p;
  if (o.decoupled) {
    if (wd !== 0) pp = mul(p, 1 - o.lr * wd);
  } else if (wd !== 0) gr = add(gr, mul(p, wd));
  const m2 = add(mul(m, o.beta1), mul(gr, 1 - o.beta1));
  const v2 = add(mul(v, o.beta2), mul(mul(gr, gr), 1 - o.beta2));
  const denom = add(div(sqrt(v2), Math.sqrt(1 - o.beta2 ** o.step)), o.eps);
  return [sub(pp, mul(div(m2, denom), o.lr / (1 - o.beta1 ** o.step))), m2, v2];
}

interface AdamCase {
  name: string;
  size: number;
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  step: number;
  weightDecay: number;
  decoupled: boolean;
  maximize: boolean;
}

const BASE = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, step: 3, weightDecay: 0, decoupled: false, maximize: false };
const ADAM_CASES: AdamCase[] = [
  { ...BASE, name: 'plain, 37 elements (SIMD body and tail)', size: 37 },
  { ...BASE, name: 'L2 weight decay, maximize', size: 1001, weightDecay: 0.01, maximize: true, step: 1 },
  { ...BASE, name: 'decoupled decay (AdamW), lr 0.1', size: 515, weightDecay: 0.05, decoupled: true, lr: 0.1, step: 7 },
  { ...BASE, name: 'large (threaded on pooled backends)', size: 300_007, beta1: 0.8, beta2: 0.99, eps: 1e-6, step: 12 },
];

/**
 * Optional multi-output fast paths: where a backend registers one, its results must equal the
 * composition of primitive ops that core uses elsewhere (float32 bit for bit, since the
 * operation order is the same; float64 within rounding).
 */
export function fastPathSuite(o: ResolvedOptions): void {
  describe('fast paths', () => {
    const FUSED: { name: string; a: number[]; b: number[]; transA: boolean; transB: boolean; bias: boolean; relu: boolean }[] = [
      { name: 'linear layer shape, bias + relu (packed GEMM, threaded)', a: [1, 64, 300], b: [1, 200, 300], transA: false, transB: true, bias: true, relu: true },
      { name: 'batched, transA, bias only', a: [3, 9, 7], b: [1, 9, 13], transA: true, transB: false, bias: true, relu: false },
      { name: 'tiny, relu only', a: [1, 2, 3], b: [1, 3, 5], transA: false, transB: false, bias: false, relu: true },
    ];
    for (const dtype of ['float32', 'float64'] as DType[]) {
      for (const c of FUSED) {
        const name = `fusedMatmul ${dtype}: ${c.name}`;
        it.skipIf(o.isExcluded('fast paths', name))(name, async () => {
          const size = (s: number[]) => s.reduce((x, y) => x * y, 1);
          const n = c.transB ? c.b[1]! : c.b[2]!;
          const [a, b, bias] = [
            tensor(Array.from(seededData(size(c.a), 11)), c.a, dtype),
            tensor(Array.from(seededData(size(c.b), 12)), c.b, dtype),
            c.bias ? tensor(Array.from(seededData(n, 13)), [n], dtype) : null,
          ];
          const act = c.relu ? 'relu' : 'none';
          const [got, want] = tidy(() => {
            const y = batchMatmul(a, b, c.transA, c.transB);
            const z = bias ? add(y, bias) : y;
            return [fusedMatmul(a, b, c.transA, c.transB, bias, act), c.relu ? relu(z) : z];
          });
          try {
            expect(got.shape).toEqual(want.shape);
            const [g, w] = [Array.from(await got.data()), Array.from(await want.data())];
            if (c.relu) expect(w.some((v) => v === 0) && w.some((v) => v > 0), 'the case has both signs').toBe(true);
            if (dtype === 'float32') expect(g, name).toEqual(w);
            else expect(g.reduce((worst, x, j) => Math.max(worst, Math.abs(x - w[j]!)), 0), name).toBeLessThan(1e-12);
          } finally {
            dispose([a, b, ...(bias ? [bias] : []), got, want]);
          }
        });
      }
    }

    for (const dtype of ['float32', 'float64'] as DType[]) {
      const name = (c: AdamCase) => `adamStep ${dtype}: ${c.name}`;
      for (const c of ADAM_CASES) {
        const skip = o.isExcluded('fast paths', name(c));
        it.skipIf(skip)(name(c), async () => {
          if (!hasKernel('adamStep', dtype)) {
            // no fused kernel: core composes the update, which must still give these values
            expect(hasKernel('mul', dtype), `backend '${o.backend}' has neither adamStep nor mul for ${dtype}`).toBe(true);
          }
          const data = (seed: number, f: (x: number) => number = (x) => x) => Array.from(seededData(c.size, seed), f);
          const inputs = [data(c.size + 1), data(c.size + 2), data(c.size + 3, (x) => x * 0.1), data(c.size + 4, (x) => x * x * 0.01)];
          const [p, g, m, v] = inputs.map((d) => tensor(d, [c.size], dtype)) as [Tensor, Tensor, Tensor, Tensor];
          const [got, want] = tidy(() => {
            const fused = adamStep(p, g, m, v, c);
            return [[fused.param, fused.expAvg, fused.expAvgSq], composedAdam(p, g, m, v, c)];
          });
          try {
            for (let i = 0; i < 3; i++) {
              const label = `${['param', 'expAvg', 'expAvgSq'][i]} of ${name(c)}`;
              expect(got[i]!.shape, label).toEqual([c.size]);
              const [a, b] = [Array.from(await got[i]!.data()), Array.from(await want[i]!.data())];
              if (dtype === 'float32') expect(a, label).toEqual(b);
              else expect(a.reduce((worst, x, j) => Math.max(worst, Math.abs(x - b[j]!)), 0), label).toBeLessThan(1e-12);
            }
            // the inputs are left as they were
            const fresh = tensor(inputs[0]!, [c.size], dtype);
            try {
              expect(Array.from(await p.data()), 'param after adamStep').toEqual(Array.from(await fresh.data()));
            } finally {
              fresh.dispose();
            }
          } finally {
            dispose([p, g, m, v, ...got, ...want]);
          }
        });
      }
    }
  });
}
