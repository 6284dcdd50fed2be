/**
 * The convolution kernels (conv2d, conv2dBackpropFilter, conv2dBackpropInput) against core's
 * compositions of the same computation (unfold2d / fold2d + matmul per group, computed here
 * explicitly with the backend's own kernels): every geometry, float32 and float64,
 * single-threaded and split over threads — for conv2d both the per-(image, group) path and the
 * few-units path (im2col per image, each GEMM split by output blocks).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conv2d, conv2dBackpropFilter, conv2dBackpropInput, convGeometry, fold2d, getBackend, hasKernel, matmul, reshape, setBackendAsync, sum, swapAxes, tensor, tidy, unfold2d, type DType, type Tensor } from '@mapnn/core';
import { setWasmParallelThreshold, setWasmThreads, type WasmBackend } from './index.js';
import { seededData } from '@mapnn/backend-tests';

interface Geo {
  N: number;
  C: number;
  F: number;
  H: number;
  W: number;
  k: [number, number];
  stride?: [number, number];
  pads?: [number, number, number, number];
  dilation?: [number, number];
  groups?: number;
}

/** conv2d as core composes it without a conv2d kernel: per group, W_g · unfold(x_g). */
function composed(x: Tensor, w: Tensor, g: Geo): Tensor {
  const groups = g.groups ?? 1;
  const [kh, kw] = g.k;
  const Cg = g.C / groups;
  const Fg = g.F / groups;
  const cols = unfold2d(x, { kernel: g.k, stride: g.stride ?? [1, 1], pads: g.pads ?? [0, 0, 0, 0], dilation: g.dilation ?? [1, 1] }); // [N, C·kh·kw, L]
  const L = cols.shape[2]!;
  const K = Cg * kh * kw;
  // [g, Fg, K] · [N, g, K, L] → [N, g, Fg, L]
  const y = matmul(reshape(w, [groups, Fg, K]), reshape(cols, [g.N, groups, K, L]));
  return reshape(y, [g.N, g.F, L]);
}

const GEOS: Geo[] = [
  { N: 2, C: 3, F: 5, H: 9, W: 11, k: [3, 3], pads: [1, 1, 1, 1] },
  { N: 7, C: 4, F: 8, H: 8, W: 8, k: [3, 3], pads: [1, 1, 1, 1] }, // enough units for every thread
  { N: 3, C: 6, F: 4, H: 10, W: 7, k: [2, 3], stride: [2, 3], pads: [0, 1, 2, 0] },
  { N: 2, C: 4, F: 6, H: 12, W: 9, k: [3, 2], stride: [1, 2], pads: [2, 2, 1, 1], dilation: [2, 3] },
  { N: 5, C: 6, F: 9, H: 7, W: 6, k: [3, 3], pads: [1, 1, 1, 1], groups: 3 },
  { N: 4, C: 8, F: 8, H: 6, W: 6, k: [3, 3], pads: [0, 0, 0, 0], groups: 8 }, // depthwise
  { N: 3, C: 16, F: 24, H: 5, W: 7, k: [1, 1] }, // 1×1: the input is its own column matrix
  { N: 2, C: 16, F: 12, H: 5, W: 7, k: [1, 1], stride: [2, 2] },
  { N: 1, C: 32, F: 40, H: 20, W: 20, k: [3, 3], pads: [1, 1, 1, 1] }, // one image, a packed GEMM
  { N: 9, C: 32, F: 24, H: 14, W: 14, k: [3, 3], pads: [1, 1, 1, 1] },
];

/** Unfold options of a geometry. */
const unfoldOpts = (g: Geo) => ({ kernel: g.k, stride: g.stride ?? ([1, 1] as [number, number]), pads: g.pads ?? ([0, 0, 0, 0] as const), dilation: g.dilation ?? ([1, 1] as [number, number]) });

/** The weight gradient as core composes it without the kernel: Σ_n dy[n, g] · cols[n, g]ᵀ. */
function composedFilterGrad(x: Tensor, dy: Tensor, g: Geo): Tensor {
  const groups = g.groups ?? 1;
  const K = (g.C / groups) * g.k[0] * g.k[1];
  const cols = unfold2d(x, unfoldOpts(g));
  const L = cols.shape[2]!;
  const prod = matmul(reshape(dy, [g.N, groups, g.F / groups, L]), swapAxes(reshape(cols, [g.N, groups, K, L]), 2, 3)); // [N, g, Fg, K]
  return reshape(sum(prod, 0), [g.F, g.C / groups, g.k[0], g.k[1]]);
}

/** The input gradient as core composes it without the kernel: fold2d(wᵍᵀ · dy[n, g]). */
function composedInputGrad(dy: Tensor, w: Tensor, g: Geo): Tensor {
  const groups = g.groups ?? 1;
  const K = (g.C / groups) * g.k[0] * g.k[1];
  const [N, F, oh, ow] = dy.shape as [number, number, number, number];
  const cols = matmul(swapAxes(reshape(w, [groups, F / groups, K]), 1, 2), reshape(dy, [N, groups, F / groups, oh * ow])); // [N, g, K, L]
  return fold2d(reshape(cols, [N, g.C * g.k[0] * g.k[1], oh * ow]), { ...unfoldOpts(g), outputSize: [g.H, g.W] });
}

interface KernelCase {
  kernel: string;
  what: string;
  tol: Record<'float32' | 'float64', number>;
  /** The kernel's result and the composition's, for geometry `g` (its index `i` seeds the data). */
  run(g: Geo, i: number, dtype: DType): [Tensor, Tensor];
}

/** Inputs of a geometry: x, w and a dy of the convolution's output shape. */
function operands(g: Geo, i: number, dtype: DType) {
  const groups = g.groups ?? 1;
  const [kh, kw] = g.k;
  const x = tensor(Array.from(seededData(g.N * g.C * g.H * g.W, 10 + i)), [g.N, g.C, g.H, g.W], dtype);
  const w = tensor(Array.from(seededData(g.F * (g.C / groups) * kh * kw, 30 + i)), [g.F, g.C / groups, kh, kw], dtype);
  const opts = { stride: g.stride ?? 1, padding: g.pads ?? 0, dilation: g.dilation ?? 1, groups };
  const { oh, ow } = convGeometry(unfoldOpts(g), g.H, g.W, 'test');
  const dy = tensor(Array.from(seededData(g.N * g.F * oh * ow, 80 + i)), [g.N, g.F, oh, ow], dtype);
  return { x, w, dy, opts };
}

const KERNELS: KernelCase[] = [
  {
    kernel: 'conv2d',
    what: 'unfold2d + matmul',
    tol: { float32: 2e-5, float64: 1e-12 },
    run: (g, i, dtype) => {
      const { x, w, opts } = operands(g, i, dtype);
      const y = conv2d(x, w, null, opts);
      return [y, reshape(composed(x, w, g), y.shape)];
    },
  },
  {
    kernel: 'conv2dBackpropFilter',
    what: 'Σ dy · unfold2dᵀ (one GEMM per group summing the batch)',
    tol: { float32: 5e-5, float64: 1e-11 },
    run: (g, i, dtype) => {
      const { x, w, dy, opts } = operands(g, i, dtype);
      return [conv2dBackpropFilter(x, dy, w.shape, opts), composedFilterGrad(x, dy, g)];
    },
  },
  {
    kernel: 'conv2dBackpropInput',
    what: 'fold2d(wᵀ · dy) (per-unit GEMM folded straight into dx)',
    tol: { float32: 5e-5, float64: 1e-11 },
    run: (g, i, dtype) => {
      const { x, w, dy, opts } = operands(g, i, dtype);
      return [conv2dBackpropInput(dy, w, x.shape, opts), composedInputGrad(dy, w, g)];
    },
  },
];

for (const k of KERNELS) {
  describe(`${k.kernel} kernel`, () => {
    beforeAll(async () => {
      await setBackendAsync('wasm');
      await setWasmThreads(3);
    });
    afterAll(() => setWasmParallelThreshold(131072));

    it('is registered for float32 and float64', () => {
      expect(hasKernel(k.kernel, 'float32')).toBe(true);
      expect(hasKernel(k.kernel, 'float64')).toBe(true);
    });

    for (const [label, threshold] of [
      ['single-threaded', Infinity],
      ['split over 3 threads', 0],
    ] as const) {
      it(`equals ${k.what}, ${label}`, () => {
        setWasmParallelThreshold(threshold);
        for (const dtype of ['float32', 'float64'] as const) {
          for (const [i, g] of GEOS.entries()) {
            tidy(() => {
              const [y, want] = k.run(g, i, dtype);
              expect(y.shape, JSON.stringify(g)).toEqual(want.shape);
              const got = y.dataSync();
              const ref = want.dataSync();
              let worst = 0;
              for (let j = 0; j < ref.length; j++) worst = Math.max(worst, Math.abs(got[j]! - ref[j]!) / (1 + Math.abs(ref[j]!)));
              expect(worst, `${dtype} ${JSON.stringify(g)}`).toBeLessThanOrEqual(k.tol[dtype]);
            });
          }
        }
        expect((getBackend() as unknown as WasmBackend).memory().threads).toBe(3);
      });
    }
  });
}

describe('conv2d kernel: memory', () => {
  beforeAll(async () => {
    await setBackendAsync('wasm');
  });
  afterAll(() => setWasmParallelThreshold(131072));

  it('a training step through conv2d frees its temporaries (no heap growth after the first)', () => {
    setWasmParallelThreshold(0);
    const x = tensor(Array.from(seededData(4 * 3 * 10 * 10, 50)), [4, 3, 10, 10]);
    const w = tensor(Array.from(seededData(6 * 3 * 3 * 3, 51)), [6, 3, 3, 3]);
    const be = getBackend() as unknown as WasmBackend;
    const run = () => tidy(() => void conv2d(x, w, null, { padding: 1 }).sum().dataSync());
    run();
    const before = be.memory();
    for (let i = 0; i < 20; i++) run();
    const after = be.memory();
    expect(after.numBuffers).toBe(before.numBuffers);
    expect(after.heapPeakBytes).toBe(before.heapPeakBytes);
    x.dispose();
    w.dispose();
  });
});
