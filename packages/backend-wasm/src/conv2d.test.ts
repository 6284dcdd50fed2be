/**
 * The direct conv2d kernel against core's composition of the same convolution (unfold2d + one
 * matmul per group, computed here explicitly with the backend's own kernels): every geometry,
 * float32 and float64, single-threaded and split over threads — both the per-(image, group)
 * path and the few-units path (im2col per image, each GEMM split by output blocks).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conv2d, conv2dBackpropFilter, conv2dBackpropInput, fold2d, getBackend, hasKernel, matmul, reshape, setBackendAsync, sum, swapAxes, tensor, tidy, unfold2d, type DType, type Tensor } from '@mapnn/core';
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

function check(dtype: DType): void {
  for (const [i, g] of GEOS.entries()) {
    const [kh, kw] = g.k;
    const groups = g.groups ?? 1;
    tidy(() => {
      const x = tensor(Array.from(seededData(g.N * g.C * g.H * g.W, 10 + i)), [g.N, g.C, g.H, g.W], dtype);
      const w = tensor(Array.from(seededData(g.F * (g.C / groups) * kh * kw, 30 + i)), [g.F, g.C / groups, kh, kw], dtype);
      const y = conv2d(x, w, null, { stride: g.stride ?? 1, padding: g.pads ?? 0, dilation: g.dilation ?? 1, groups });
      const want = composed(x, w, g);
      expect(y.shape.slice(0, 2), JSON.stringify(g)).toEqual([g.N, g.F]);
      const got = y.dataSync();
      const ref = want.dataSync();
      expect(got.length).toBe(ref.length);
      const tol = dtype === 'float32' ? 2e-5 : 1e-12;
      let worst = 0;
      for (let j = 0; j < ref.length; j++) worst = Math.max(worst, Math.abs(got[j]! - ref[j]!) / (1 + Math.abs(ref[j]!)));
      expect(worst, `${dtype} ${JSON.stringify(g)}`).toBeLessThanOrEqual(tol);
    });
  }
}

/** The weight gradient as core composes it without the kernel: Σ_n dy[n, g] · cols[n, g]ᵀ. */
function composedFilterGrad(x: Tensor, dy: Tensor, g: Geo): Tensor {
  const groups = g.groups ?? 1;
  const [kh, kw] = g.k;
  const K = (g.C / groups) * kh * kw;
  const cols = unfold2d(x, { kernel: g.k, stride: g.stride ?? [1, 1], pads: g.pads ?? [0, 0, 0, 0], dilation: g.dilation ?? [1, 1] });
  const L = cols.shape[2]!;
  const prod = matmul(reshape(dy, [g.N, groups, g.F / groups, L]), swapAxes(reshape(cols, [g.N, groups, K, L]), 2, 3)); // [N, g, Fg, K]
  return reshape(sum(prod, 0), [g.F, g.C / groups, kh, kw]);
}

function checkFilterGrad(dtype: DType): void {
  for (const [i, g] of GEOS.entries()) {
    const [kh, kw] = g.k;
    const groups = g.groups ?? 1;
    tidy(() => {
      const x = tensor(Array.from(seededData(g.N * g.C * g.H * g.W, 60 + i)), [g.N, g.C, g.H, g.W], dtype);
      const wShape = [g.F, g.C / groups, kh, kw];
      const opts = { stride: g.stride ?? 1, padding: g.pads ?? 0, dilation: g.dilation ?? 1, groups };
      const [oh, ow] = conv2d(x, tensor(new Array(wShape.reduce((a, b) => a * b)).fill(0), wShape, dtype), null, opts).shape.slice(2) as [number, number];
      const dy = tensor(Array.from(seededData(g.N * g.F * oh * ow, 80 + i)), [g.N, g.F, oh, ow], dtype);
      const got = conv2dBackpropFilter(x, dy, wShape, opts).dataSync();
      const ref = composedFilterGrad(x, dy, g).dataSync();
      expect(got.length).toBe(ref.length);
      const tol = dtype === 'float32' ? 5e-5 : 1e-11;
      let worst = 0;
      for (let j = 0; j < ref.length; j++) worst = Math.max(worst, Math.abs(got[j]! - ref[j]!) / (1 + Math.abs(ref[j]!)));
      expect(worst, `${dtype} ${JSON.stringify(g)}`).toBeLessThanOrEqual(tol);
    });
  }
}

/** The input gradient as core composes it without the kernel: fold2d(wᵍᵀ · dy[n, g]). */
function composedInputGrad(dy: Tensor, w: Tensor, g: Geo): Tensor {
  const groups = g.groups ?? 1;
  const [kh, kw] = g.k;
  const K = (g.C / groups) * kh * kw;
  const [N, F, oh, ow] = dy.shape as [number, number, number, number];
  const cols = matmul(swapAxes(reshape(w, [groups, F / groups, K]), 1, 2), reshape(dy, [N, groups, F / groups, oh * ow])); // [N, g, K, L]
  return fold2d(reshape(cols, [N, g.C * kh * kw, oh * ow]), { outputSize: [g.H, g.W], kernel: g.k, stride: g.stride ?? [1, 1], pads: g.pads ?? [0, 0, 0, 0], dilation: g.dilation ?? [1, 1] });
}

function checkInputGrad(dtype: DType): void {
  for (const [i, g] of GEOS.entries()) {
    const [kh, kw] = g.k;
    const groups = g.groups ?? 1;
    tidy(() => {
      const w = tensor(Array.from(seededData(g.F * (g.C / groups) * kh * kw, 90 + i)), [g.F, g.C / groups, kh, kw], dtype);
      const opts = { stride: g.stride ?? 1, padding: g.pads ?? 0, dilation: g.dilation ?? 1, groups };
      const [oh, ow] = conv2d(tensor(new Array(g.N * g.C * g.H * g.W).fill(0), [g.N, g.C, g.H, g.W], dtype), w, null, opts).shape.slice(2) as [number, number];
      const dy = tensor(Array.from(seededData(g.N * g.F * oh * ow, 110 + i)), [g.N, g.F, oh, ow], dtype);
      const got = conv2dBackpropInput(dy, w, [g.N, g.C, g.H, g.W], opts).dataSync();
      const ref = composedInputGrad(dy, w, g).dataSync();
      expect(got.length).toBe(ref.length);
      const tol = dtype === 'float32' ? 5e-5 : 1e-11;
      let worst = 0;
      for (let j = 0; j < ref.length; j++) worst = Math.max(worst, Math.abs(got[j]! - ref[j]!) / (1 + Math.abs(ref[j]!)));
      expect(worst, `${dtype} ${JSON.stringify(g)}`).toBeLessThanOrEqual(tol);
    });
  }
}

describe('conv2dBackpropInput kernel (per-unit GEMM folded straight into dx)', () => {
  beforeAll(async () => {
    await setBackendAsync('wasm');
    await setWasmThreads(3);
  });
  afterAll(() => setWasmParallelThreshold(131072));

  it('is registered for float32 and float64', () => {
    expect(hasKernel('conv2dBackpropInput', 'float32')).toBe(true);
    expect(hasKernel('conv2dBackpropInput', 'float64')).toBe(true);
  });

  for (const [label, threshold] of [
    ['single-threaded', Infinity],
    ['split over 3 threads', 0],
  ] as const) {
    it(`equals fold2d(wᵀ · dy), ${label}`, () => {
      setWasmParallelThreshold(threshold);
      checkInputGrad('float32');
      checkInputGrad('float64');
    });
  }
});

describe('conv2dBackpropFilter kernel (one GEMM per group summing the batch)', () => {
  beforeAll(async () => {
    await setBackendAsync('wasm');
    await setWasmThreads(3);
  });
  afterAll(() => setWasmParallelThreshold(131072));

  it('is registered for float32 and float64', () => {
    expect(hasKernel('conv2dBackpropFilter', 'float32')).toBe(true);
    expect(hasKernel('conv2dBackpropFilter', 'float64')).toBe(true);
  });

  for (const [label, threshold] of [
    ['single-threaded', Infinity],
    ['split over 3 threads', 0],
  ] as const) {
    it(`equals Σ dy · unfold2dᵀ, ${label}`, () => {
      setWasmParallelThreshold(threshold);
      checkFilterGrad('float32');
      checkFilterGrad('float64');
    });
  }
});

describe('conv2d kernel', () => {
  beforeAll(async () => {
    await setBackendAsync('wasm');
    await setWasmThreads(3);
  });
  afterAll(() => setWasmParallelThreshold(131072));

  it('is registered for float32 and float64', () => {
    expect(hasKernel('conv2d', 'float32')).toBe(true);
    expect(hasKernel('conv2d', 'float64')).toBe(true);
  });

  for (const [label, threshold] of [
    ['single-threaded', Infinity],
    ['split over 3 threads', 0],
  ] as const) {
    it(`equals unfold2d + matmul, ${label}`, () => {
      setWasmParallelThreshold(threshold);
      check('float32');
      check('float64');
      expect((getBackend() as unknown as WasmBackend).memory().threads).toBe(3);
    });
  }

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
