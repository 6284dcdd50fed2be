/**
 * Differential tests: every primitive kernel, for every dtype it serves, on broadcasting,
 * strided and edge-case inputs, against the cpu backend (the reference implementation; its
 * sources are loaded from the workspace at run time — not a package dependency, and outside
 * this package's type check). Results must agree exactly, except float transcendental
 * functions (libm differences: a few ulps).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { getKernel, runKernel, setBackend, setBackendAsync, tensor, type DType, type KernelAttrs, type Tensor } from '@mapnn/core';
import './index.js';
import { seededData } from '@mapnn/backend-tests';

interface Input {
  shape: number[];
  dtype: DType;
  data: number[];
}
type Outcome = { shape: number[]; dtype: DType; values: number[] } | { error: string };

const INT_DTYPES: DType[] = ['int32', 'int64', 'int8', 'uint8'];
const NUMERIC: DType[] = ['float32', 'float64', 'int32', 'int64', 'int8', 'uint8', 'bool'];
const SPECIAL = [0, -0, 0.5, -0.5, 1.5, 2.5, -2.5, 3, -7, 1e-3, 100, NaN, Infinity, -Infinity, 65504, 1e6];

/** Deterministic data for a dtype: floats with special values mixed in, small ints (zeros included). */
function data(n: number, dtype: DType, seed: number): number[] {
  const r = seededData(n, seed);
  return Array.from(r, (v, i) => {
    if (dtype === 'bool') return v > 0 ? 1 : 0;
    if (dtype === 'uint8') return Math.floor((v + 1) * 8);
    if (INT_DTYPES.includes(dtype)) return Math.round(v * 9);
    return i % 7 === 3 ? SPECIAL[(i * 5 + seed) % SPECIAL.length]! : v * 4;
  });
}

function input(shape: number[], dtype: DType, seed: number): Input {
  return { shape, dtype, data: data(shape.reduce((a, b) => a * b, 1), dtype, seed) };
}

function runOn(backend: string, op: string, inputs: Input[], attrs: KernelAttrs, key?: DType): Outcome {
  setBackend(backend);
  const ts: Tensor[] = inputs.map((s) => tensor(s.data, s.shape, s.dtype));
  try {
    const y = runKernel(op, ts, attrs, key);
    const r = { shape: [...y.shape], dtype: y.dtype, values: Array.from(y.dataSync(), Number) };
    y.dispose();
    return r;
  } catch (e) {
    return { error: (e as Error).message };
  } finally {
    ts.forEach((t) => t.dispose());
  }
}

const LIBM = new Set(['exp', 'expm1', 'log', 'log1p', 'sin', 'cos', 'tanh', 'pow', 'erf', 'sigmoid']);

function agree(op: string, inputs: Input[], attrs: KernelAttrs = {}, key?: DType): void {
  const want = runOn('cpu', op, inputs, attrs, key);
  const got = runOn('wasm', op, inputs, attrs, key);
  const what = `${op} ${inputs.map((i) => `[${i.shape}] ${i.dtype}`).join(', ')} ${JSON.stringify(attrs)}`;
  if ('error' in want) {
    expect(got, what).toEqual(want);
    return;
  }
  expect('error' in got ? got.error : null, what).toBe(null);
  const g = got as Exclude<Outcome, { error: string }>;
  expect([g.shape, g.dtype], what).toEqual([want.shape, want.dtype]);
  // erf: fdlibm here, a series near |x| = 2.5 on the cpu (which loses a few digits there)
  const f64tol = op === 'erf' ? 2e-14 : 4e-15;
  const tol = LIBM.has(op) ? (want.dtype === 'float32' ? 4e-7 : want.dtype === 'float64' || want.dtype === 'int64' ? f64tol : 0) : 0;
  const bad: string[] = [];
  want.values.forEach((w, i) => {
    const v = g.values[i]!;
    const ok = Object.is(v, w) || v === w || (Number.isNaN(v) && Number.isNaN(w)) || Math.abs(v - w) <= tol * Math.abs(w);
    if (!ok && bad.length < 5) bad.push(`[${i}] wasm ${v}, cpu ${w}`);
  });
  expect(bad, what).toEqual([]);
}

const UNARY_ALL = ['neg', 'abs', 'sign', 'floor', 'ceil', 'round', 'logicalNot'];
const UNARY_FLOAT = ['exp', 'expm1', 'log', 'log1p', 'sqrt', 'sin', 'cos', 'tanh', 'erf', 'reciprocal'];
const BINARY = ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'mod', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'logicalAnd', 'logicalOr', 'logicalXor'];
const PAIRS: [number[], number[]][] = [
  [[37], [37]], [[3, 4], [4]], [[3, 1], [1, 4]], [[2, 1, 3], [4, 1]], [[], [5]], [[5], []], [[2, 3, 4, 5], [3, 1, 5]],
  [[7, 33], [7, 1]], [[1, 40], [9, 1]], [[0, 3], [3]],
];

describe('wasm kernels agree with the cpu backend', () => {
  beforeAll(async () => {
    const cpuSources = new URL('../../backend-cpu/src/index.ts', import.meta.url).pathname;
    await import(/* @vite-ignore */ cpuSources); // registers 'cpu'
    await setBackendAsync('wasm');
  });

  it('unary ops, every dtype', () => {
    for (const op of UNARY_ALL) for (const dt of NUMERIC) agree(op, [input([5, 13], dt, 1)]);
    for (const op of UNARY_FLOAT) for (const dt of ['float32', 'float64'] as DType[]) agree(op, [input([3, 37], dt, 2)]);
    // optional fast path: compared when the cpu backend has it too
    if (getKernel('sigmoid', 'cpu')) for (const dt of ['float32', 'float64'] as DType[]) agree('sigmoid', [input([3, 37], dt, 2)]);
  });

  it('binary ops with broadcasting, every dtype', () => {
    for (const op of BINARY) {
      for (const dt of NUMERIC) {
        PAIRS.forEach(([a, b], i) => agree(op, [input(a, dt, 3 + i), input(b, dt, 40 + i)]));
      }
    }
  });

  it('where and broadcastTo', () => {
    for (const dt of [...NUMERIC, 'float16'] as DType[]) {
      if (dt !== 'float16') agree('where', [input([3, 1, 5], 'bool', 5), input([4, 1], dt, 6), input([1, 5], dt, 7)], {}, dt);
      agree('broadcastTo', [input([3, 1, 5], dt, 8)], { shape: [2, 3, 4, 5] });
      agree('broadcastTo', [input([], dt, 9)], { shape: [3, 2] });
    }
  });

  it('cast between every pair of dtypes (float16 and the int64 range check included)', () => {
    const all: DType[] = [...NUMERIC, 'float16'];
    for (const from of all) for (const to of all) agree('cast', [input([4, 9], from, 10)], { dtype: to });
    agree('cast', [{ shape: [3], dtype: 'float32', data: [1, 2 ** 60, 3] }], { dtype: 'int64' });
    agree('cast', [{ shape: [4], dtype: 'float64', data: [3e9, -3e9, 2 ** 40 + 0.5, -129.7] }], { dtype: 'int32' });
    agree('cast', [{ shape: [4], dtype: 'float64', data: [300, -300, 255.9, -1.5] }], { dtype: 'uint8' });
  });

  it('reductions over every axis pattern, and argmax / argmin', () => {
    const shape = [3, 4, 5, 2];
    const axesList = [[0], [1], [3], [0, 1], [1, 2], [0, 2], [1, 3], [0, 1, 2, 3], [0, 3], [2, 3]];
    for (const op of ['sum', 'prod', 'max', 'min']) {
      for (const dt of NUMERIC) for (const axes of axesList) agree(op, [input(shape, dt, 11)], { axes });
      agree(op, [input([0, 3], 'float32', 12)], { axes: [0] });
      agree(op, [input([700, 9], 'float32', 13)], { axes: [0] });
      agree(op, [input([9, 700], 'float32', 14)], { axes: [1] });
    }
    for (const op of ['argmax', 'argmin']) {
      for (const dt of NUMERIC) for (const axis of [0, 1, 3]) agree(op, [input(shape, dt, 15)], { axis });
    }
  });

  it('transpose, slice (negative steps), pad (all modes) and concat, every dtype', () => {
    for (const dt of [...NUMERIC, 'float16'] as DType[]) {
      const x = input([3, 4, 5], dt, 16);
      for (const perm of [[2, 0, 1], [1, 0, 2], [0, 2, 1], [2, 1, 0]]) agree('transpose', [x], { perm });
      agree('slice', [x], { begin: [2, 0, 4], size: [2, 2, 3], step: [-1, 2, -2] });
      agree('slice', [x], { begin: [0, 1, 0], size: [3, 3, 5], step: [1, 1, 1] });
      agree('slice', [x], { begin: [0, 5, 0], size: [1, 1, 1], step: [1, 1, 1] }); // error
      for (const mode of ['constant', 'reflect', 'edge']) agree('pad', [x], { pads: [1, 2, 0, 1, 2, 2], mode, value: 3 });
      agree('pad', [x], { pads: [0, 0, 4, 0, 0, 0], mode: 'reflect' }); // error: too wide
      agree('concat', [x, input([3, 2, 5], dt, 17), input([3, 0, 5], dt, 18)], { axis: 1 });
      agree('concat', [x, x], { axis: 2 });
    }
  });

  it('gather, indexSelect, scatter and scatterAdd (int32 and int64 indices, range errors)', () => {
    for (const dt of [...NUMERIC, 'float16'] as DType[]) {
      for (const idt of ['int32', 'int64'] as DType[]) {
        const x = input([4, 5, 3], dt, 19);
        const idx = (shape: number[], hi: number, seed: number): Input => ({
          shape, dtype: idt, data: Array.from(seededData(shape.reduce((a, b) => a * b, 1), seed), (v) => Math.floor((v + 1) / 2 * hi)),
        });
        agree('gather', [x, idx([4, 2, 3], 5, 20)], { axis: 1 });
        agree('gather', [x, idx([2, 5, 3], 4, 21)], { axis: 0 });
        agree('gather', [x, { shape: [1, 1, 1], dtype: idt, data: [9] }], { axis: 2 });
        agree('indexSelect', [x, idx([7], 3, 22)], { axis: 2 });
        agree('indexSelect', [x, idx([6], 4, 23)], { axis: 0 });
        agree('indexSelect', [x, { shape: [2], dtype: idt, data: [0, -1] }], { axis: 0 });
        const src = input([4, 5, 3], dt, 24);
        agree('scatter', [x, idx([4, 2, 3], 5, 25), src], { axis: 1 });
        if (dt !== 'float16') agree('scatterAdd', [x, idx([3, 5, 2], 4, 26), src], { axis: 0 });
      }
    }
  });

  it('unfold2d and fold2d geometries', () => {
    for (const dt of ['float32', 'float64'] as DType[]) {
      const x = input([2, 3, 7, 8], dt, 27);
      const geoms = [
        { kernel: [3, 3], stride: [1, 1], pads: [1, 1, 1, 1], dilation: [1, 1] },
        { kernel: [2, 3], stride: [2, 3], pads: [0, 1, 2, 0], dilation: [1, 1] },
        { kernel: [3, 2], stride: [1, 2], pads: [2, 2, 1, 1], dilation: [2, 3] },
      ];
      for (const g of geoms) {
        agree('unfold2d', [x], { ...g, padValue: -Infinity });
        const cpuCols = runOn('cpu', 'unfold2d', [x], g) as { shape: number[]; values: number[] };
        agree('fold2d', [{ shape: cpuCols.shape, dtype: dt, data: data(cpuCols.values.length, dt, 28) }], { ...g, outputSize: [7, 8] });
      }
    }
  });
});
