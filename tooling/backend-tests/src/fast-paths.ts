import { describe, expect, it } from 'vitest';
import {
  adamStep, add, argmax, batchMatmul, conv2d, dispose, div, fusedMatmul, gather, hasKernel, maxPool2d, mul, neg, relu, reshape, sqrt, sub, sum, tensor, tidy,
  unfold2d, withoutFastPaths, type DType, type MaxPool2dOptions, type Tensor,
} from '@mapnn/core';
import { referenceAdamStep } from './adam-reference.js';
import { seededData } from './testing.js';
import type { ResolvedOptions } from './types.js';

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
  /** AMSGrad (always composed: no kernel has it) */
  amsgrad?: boolean;
}

const BASE = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, step: 3, weightDecay: 0, decoupled: false, maximize: false };
const ADAM_CASES: AdamCase[] = [
  { ...BASE, name: 'plain, 37 elements (SIMD body and tail)', size: 37 },
  { ...BASE, name: 'L2 weight decay, maximize', size: 1001, weightDecay: 0.01, maximize: true, step: 1 },
  { ...BASE, name: 'decoupled decay (AdamW), lr 0.1', size: 515, weightDecay: 0.05, decoupled: true, lr: 0.1, step: 7 },
  { ...BASE, name: 'large (threaded on pooled backends)', size: 300_007, beta1: 0.8, beta2: 0.99, eps: 1e-6, step: 12 },
  { ...BASE, name: 'AMSGrad with L2 decay (composed)', size: 41, weightDecay: 0.01, step: 4, amsgrad: true },
];

/** |got − want| ≤ tol·(1 + |want|) everywhere (NaN fails): the largest such ratio. */
function worstRelative(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    const r = Math.abs(got[i]! - want[i]!) / (1 + Math.abs(want[i]!));
    if (!(r <= worst)) worst = r;
  }
  return worst;
}

/**
 * Optional multi-output fast paths: where a backend registers one, its results must equal the
 * composition of primitive ops that core uses elsewhere (float32 bit for bit, since the
 * operation order is the same; float64 within rounding).
 */
export function fastPathSuite(o: ResolvedOptions): void {
  describe('fast paths', () => {
    maxPoolCases(o);
    fusedConvCases(o);
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
          if (c.amsgrad) inputs.push(data(c.size + 5, (x) => x * x * 0.02));
          const [p, g, m, v, vMax] = inputs.map((d) => tensor(d, [c.size], dtype)) as [Tensor, Tensor, Tensor, Tensor, Tensor?];
          const run = () => {
            const r = adamStep(p, g, m, v, { ...c, maxExpAvgSq: vMax });
            return [r.param, r.expAvg, r.expAvgSq, ...(r.maxExpAvgSq ? [r.maxExpAvgSq] : [])];
          };
          // the fused kernel against core's composition (the owner of the rule), bit for bit in float32
          const [got, want] = tidy(() => [run(), withoutFastPaths(run, ['adamStep'])]);
          const held = await Promise.all([p, g, m, v, ...(vMax ? [vMax] : [])].map(async (t) => Array.from(await t.data())));
          const ref = referenceAdamStep(held[0]!, held[1]!, held[2]!, held[3]!, c, held[4]);
          const refOut = [ref.param, ref.expAvg, ref.expAvgSq, ...(ref.maxExpAvgSq ? [ref.maxExpAvgSq] : [])];
          try {
            for (let i = 0; i < got.length; i++) {
              const label = `${['param', 'expAvg', 'expAvgSq', 'maxExpAvgSq'][i]} of ${name(c)}`;
              expect(got[i]!.shape, label).toEqual([c.size]);
              const [a, b] = [Array.from(await got[i]!.data()), Array.from(await want[i]!.data())];
              if (dtype === 'float32') expect(a, label).toEqual(b);
              else expect(a.reduce((worst, x, j) => Math.max(worst, Math.abs(x - b[j]!)), 0), label).toBeLessThan(1e-12);
              // and the composition against the scalar reference of the documented rule (a backend
              // without float64 arithmetic computes float64 tensors in float32)
              expect(worstRelative(a, refOut[i]!), `${label} vs referenceAdamStep`).toBeLessThan(dtype === 'float64' && o.float64 ? 1e-13 : 1e-6);
            }
            // the inputs are left as they were
            const fresh = tensor(inputs[0]!, [c.size], dtype);
            try {
              expect(Array.from(await p.data()), 'param after adamStep').toEqual(Array.from(await fresh.data()));
            } finally {
              fresh.dispose();
            }
          } finally {
            dispose([p, g, m, v, ...(vMax ? [vMax] : []), ...got, ...want]);
          }
        });
      }
    }
  });
}

/** maxPool2d composed as core does without the kernels: unfold (-∞ padding), argmax, gather. */
function composedMaxPool(x: Tensor, kh: number, kw: number, stride: [number, number], pads: [number, number, number, number], dilation: [number, number], oh: number, ow: number): Tensor {
  const [N, C] = x.shape as [number, number];
  const windows = reshape(unfold2d(x, { kernel: [kh, kw], stride, pads, dilation, padValue: -Infinity }), [N, C, kh * kw, oh, ow]);
  const first = argmax(windows, 2, true);
  return reshape(gather(windows, 2, first), [N, C, oh, ow]);
}

interface PoolCase {
  name: string;
  shape: [number, number, number, number];
  opts: MaxPool2dOptions;
  /** pads of the composed reference ([top, bottom, left, right], ceil mode's extra included) */
  pads: [number, number, number, number];
  out: [number, number];
  /** windows overlap: gradients may be summed in another order */
  overlap: boolean;
}

const POOL_CASES: PoolCase[] = [
  { name: '2×2 stride 2 (the CNN pooling), odd size', shape: [3, 5, 13, 11], opts: { kernelSize: 2 }, pads: [0, 0, 0, 0], out: [6, 5], overlap: false },
  { name: '2×2 stride 2 padding 1 (windows in the padding)', shape: [2, 3, 12, 14], opts: { kernelSize: 2, padding: 1 }, pads: [1, 1, 1, 1], out: [7, 8], overlap: false },
  { name: '2×2 stride 1 (overlapping rows and columns)', shape: [1, 4, 9, 21], opts: { kernelSize: 2, stride: 1 }, pads: [0, 0, 0, 0], out: [8, 20], overlap: true },
  { name: '3×3 stride 2 padding 1 (overlapping windows)', shape: [2, 3, 9, 8], opts: { kernelSize: 3, stride: 2, padding: 1 }, pads: [1, 1, 1, 1], out: [5, 4], overlap: true },
  { name: '2×3 dilation 2, ceil mode', shape: [1, 2, 10, 9], opts: { kernelSize: [2, 3], stride: 2, dilation: 2, ceilMode: true }, pads: [0, 1, 0, 0], out: [5, 3], overlap: true },
];

/** maxPool2d's fast path (`maxPool2d` + `maxPool2dGrad` kernels) against the composition. */
function maxPoolCases(o: ResolvedOptions): void {
  for (const dtype of ['float32', 'float64'] as DType[]) {
    for (const c of POOL_CASES) {
      const name = `maxPool2d ${dtype}: ${c.name}`;
      it.skipIf(o.isExcluded('fast paths', name))(name, async () => {
        const n = c.shape.reduce((a, b) => a * b, 1);
        // ties (values rounded to 1/4), a NaN and -∞ in the first plane: the first maximum wins, NaN beats all
        const values = Array.from(seededData(n, 21), (v) => Math.round(v * 4) / 4);
        values[2] = NaN; // row 0, column 2: inside a window in every case
        values[17] = -Infinity;
        const x = tensor(values, c.shape, dtype).requiresGrad_();
        const xr = tensor(values, c.shape, dtype).requiresGrad_();
        const r = tensor(Array.from(seededData(c.shape[0] * c.shape[1] * c.out[0] * c.out[1], 22)), [c.shape[0], c.shape[1], ...c.out], dtype);
        const [kh, kw] = typeof c.opts.kernelSize === 'number' ? [c.opts.kernelSize, c.opts.kernelSize] : c.opts.kernelSize;
        const s = c.opts.stride ?? c.opts.kernelSize;
        const stride: [number, number] = typeof s === 'number' ? [s, s] : [s[0], s[1]];
        const d = c.opts.dilation ?? 1;
        const dilation: [number, number] = typeof d === 'number' ? [d, d] : [d[0], d[1]];
        const [got, want] = tidy(() => {
          const y = maxPool2d(x, c.opts);
          const yr = composedMaxPool(xr, kh, kw, stride, c.pads, dilation, c.out[0], c.out[1]);
          sum(mul(y, r)).backward();
          sum(mul(yr, r)).backward();
          return [y, yr];
        });
        try {
          expect(got.shape).toEqual(want.shape);
          const [gv, wv] = [Array.from(await got.data()), Array.from(await want.data())];
          expect(gv.some((v) => Number.isNaN(v)), 'the NaN reaches the output').toBe(true);
          expect(gv, `values of ${name}`).toEqual(wv);
          const [gg, wg] = [Array.from(await x.grad!.data()), Array.from(await xr.grad!.data())];
          if (c.overlap) expect(gg.reduce((m, v, i) => Math.max(m, Math.abs(v - wg[i]!)), 0), `gradient of ${name}`).toBeLessThan(1e-5);
          else expect(gg, `gradient of ${name}`).toEqual(wg);
        } finally {
          dispose([x, xr, r, got, want]);
        }
      });
    }
  }
}

/** conv2d with bias and ReLU (a backend's `fusedConv2d`) against conv2d, `add` and `relu` run separately. */
function fusedConvCases(o: ResolvedOptions): void {
  const CASES = [
    { name: 'the CNN layer shape (per-unit epilogue)', x: [8, 16, 13, 13], w: [24, 16, 3, 3], bias: true, opts: { padding: 1 } },
    { name: 'one image, groups 2, no bias, stride 2', x: [1, 4, 11, 9], w: [6, 2, 3, 3], bias: false, opts: { stride: 2, groups: 2 } },
    { name: '1×1 (the input is its own column matrix)', x: [3, 8, 5, 7], w: [5, 8, 1, 1], bias: true, opts: {} },
  ];
  for (const dtype of ['float32', 'float64'] as DType[]) {
    for (const c of CASES) {
      const name = `conv2d + bias + relu ${dtype}: ${c.name}`;
      it.skipIf(o.isExcluded('fast paths', name))(name, async () => {
        const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
        const x = tensor(Array.from(seededData(size(c.x), 31)), c.x, dtype);
        const w = tensor(Array.from(seededData(size(c.w), 32), (v) => v * 0.3), c.w, dtype);
        const b = c.bias ? tensor(Array.from(seededData(c.w[0]!, 33)), [c.w[0]!], dtype) : null;
        const [got, want] = tidy(() => {
          const y = conv2d(x, w, null, c.opts);
          const z = b ? add(y, reshape(b, [1, c.w[0]!, 1, 1])) : y;
          return [conv2d(x, w, b, { ...c.opts, activation: 'relu' }), relu(z)];
        });
        try {
          expect(got.shape).toEqual(want.shape);
          const [g, v] = [Array.from(await got.data()), Array.from(await want.data())];
          expect(v.some((e) => e === 0) && v.some((e) => e > 0), 'the case has both signs').toBe(true);
          // the unfused reference may split its GEMMs differently (summing in another order), so
          // the values agree to rounding; where the reference clips to 0 so must the fused result
          const tol = dtype === 'float32' ? 1e-6 : 1e-12;
          expect(g.reduce((m, e, i) => Math.max(m, Math.abs(e - v[i]!) / (1 + Math.abs(v[i]!))), 0), name).toBeLessThan(tol);
          expect(g.map((e, i) => (v[i] === 0 ? e : 0)).every((e) => Math.abs(e) < tol), `${name}: zeros where relu clips`).toBe(true);
        } finally {
          dispose([x, w, ...(b ? [b] : []), got, want]);
        }
      });
    }
  }
}
