/**
 * The SIMD paths of float comparisons, `where` and the reductions over [lead, outer, m, inner]
 * against plain JavaScript references: special values (NaN, ±0, ±Infinity) in every lane
 * position, every tail length 1..33 and a few longer rows, a broadcast scalar on either side,
 * bool outputs exactly 0 / 1, summation order, and single-threaded against split over threads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKernel, setBackendAsync, tensor, type DType, type KernelAttrs, type Tensor } from '@mapnn/core';
import { setWasmParallelThreshold, setWasmThreads } from './index.js';
import { seededData } from '@mapnn/backend-tests';

const SPECIAL = [NaN, 0, -0, Infinity, -Infinity, 1, -1, 0.5, 3.25, -2, 1e-40, 3e38];
const LENGTHS = [...Array.from({ length: 33 }, (_, i) => i + 1), 47, 64, 100, 255];

/** Floats with special values and repeats (so equal pairs occur) spread over every lane position. */
function floats(n: number, seed: number): number[] {
  const r = seededData(n, seed);
  return Array.from(r, (v, i) => {
    if ((i * 7 + seed) % 3 === 0) return SPECIAL[(i * 5 + seed) % SPECIAL.length]!;
    return Math.round(v * 4) / 2;
  });
}

/** A kernel's output values (raw typed-array contents) and dtype; the inputs are disposed. */
function run(op: string, inputs: Tensor[], attrs: KernelAttrs = {}, key?: DType): { dtype: DType; values: number[] } {
  const y = runKernel(op, inputs, attrs, key);
  const r = { dtype: y.dtype, values: Array.from(y.dataSync() as ArrayLike<number>) };
  y.dispose();
  inputs.forEach((t) => t.dispose());
  return r;
}

/** What a typed array of `dtype` stores for `v`. */
function stored(v: number, dtype: DType): number {
  if (dtype === 'float32') return Math.fround(v);
  if (dtype === 'int32') return v | 0;
  if (dtype === 'int8') return (v << 24) >> 24;
  if (dtype === 'uint8' || dtype === 'bool') return v & 255;
  return v;
}

/** Element-by-element equality that tells NaN and ±0 apart (`Object.is`). */
function same(got: number[], want: number[]): string[] {
  const bad: string[] = [];
  if (got.length !== want.length) return [`length ${got.length} != ${want.length}`];
  want.forEach((w, i) => {
    if (!Object.is(got[i], w) && bad.length < 5) bad.push(`[${i}] got ${got[i]}, want ${w}`);
  });
  return bad;
}

/** The comparison kernels and their JavaScript meaning (NaN compares false, except `ne`). */
const COMPARE: Record<string, (a: number, b: number) => boolean> = {
  eq: (a, b) => a === b,
  ne: (a, b) => a !== b,
  lt: (a, b) => a < b,
  le: (a, b) => a <= b,
  gt: (a, b) => a > b,
  ge: (a, b) => a >= b,
};

/** Runs `f` single-threaded, then split over every thread; both results must be equal. */
function bothWays<T>(f: () => T): [T, T] {
  setWasmParallelThreshold(Infinity);
  const one = f();
  setWasmParallelThreshold(0);
  const many = f();
  setWasmParallelThreshold(131072);
  return [one, many];
}

describe('SIMD comparisons, where and reductions', () => {
  beforeAll(async () => {
    await setBackendAsync('wasm');
    await setWasmThreads(3);
  });
  afterAll(() => setWasmParallelThreshold(131072));

  it('float comparisons: every op, tail length and scalar side, NaN / ±0 / ±Infinity', () => {
    for (const dtype of ['float32', 'float64'] as DType[]) {
      for (const [op, cmp] of Object.entries(COMPARE)) {
        for (const n of LENGTHS) {
          const a = floats(n, n).map((v) => stored(v, dtype));
          const b = floats(n, n + 101).map((v) => stored(v, dtype));
          // b[i] = a[i] in every third lane, so equality is seen in every lane position
          for (let i = 0; i < n; i += 3) b[i] = a[i]!;
          for (const s of [NaN, 0, -0, Infinity, 1]) {
            const cases: [Tensor, Tensor, number[]][] = [
              [tensor(a, [n], dtype), tensor(b, [n], dtype), a.map((v, i) => +cmp(v, b[i]!))],
              [tensor(a, [n], dtype), tensor([s], [], dtype), a.map((v) => +cmp(v, s))],
              [tensor([s], [1], dtype), tensor(b, [n], dtype), b.map((v) => +cmp(s, v))],
            ];
            for (const [x, y, want] of cases) {
              const what = `${op} ${dtype} n=${n} [${x.shape}] [${y.shape}] s=${s}`;
              const got = run(op, [x, y]);
              expect(got.dtype, what).toBe('bool');
              expect(same(got.values, want), what).toEqual([]);
            }
          }
        }
      }
    }
  });

  it('comparisons through broadcast strides (rows against columns) still match', () => {
    for (const dtype of ['float32', 'float64'] as DType[]) {
      const a = floats(21, 3).map((v) => stored(v, dtype));
      const b = floats(19, 4).map((v) => stored(v, dtype));
      for (const [op, cmp] of Object.entries(COMPARE)) {
        const want: number[] = [];
        for (let i = 0; i < 21; i++) for (let j = 0; j < 19; j++) want.push(+cmp(a[i]!, b[j]!));
        const got = run(op, [tensor(a, [21, 1], dtype), tensor(b, [1, 19], dtype)]);
        expect(same(got.values, want), `${op} ${dtype}`).toEqual([]);
      }
    }
  });

  it('where: every element size, tail length, scalar side and a strided cond', () => {
    const dtypes: DType[] = ['float32', 'int32', 'float64', 'int64', 'int8', 'uint8', 'bool'];
    for (const dtype of dtypes) {
      const isFloat = dtype === 'float32' || dtype === 'float64';
      const int = (v: number): number => (Number.isFinite(v) && Math.abs(v) < 100 ? Math.trunc(v * 3) : 7);
      const vals = (n: number, seed: number): number[] =>
        floats(n, seed).map((v) => (isFloat ? stored(v, dtype) : dtype === 'bool' ? +(v > 0) : stored(int(v), dtype)));
      for (const n of LENGTHS) {
        const c = Array.from(seededData(n, n + 7), (v, i) => +(v > 0 || i % 5 === 0));
        const a = vals(n, n + 1);
        const b = vals(n, n + 2);
        const sa = a[0]!;
        const sb = b[n - 1]!;
        const cases: [Tensor, Tensor, number[]][] = [
          [tensor(a, [n], dtype), tensor(b, [n], dtype), c.map((k, i) => (k ? a[i]! : b[i]!))],
          [tensor(a, [n], dtype), tensor([sb], [], dtype), c.map((k, i) => (k ? a[i]! : sb))],
          [tensor([sa], [1], dtype), tensor(b, [n], dtype), c.map((k, i) => (k ? sa : b[i]!))],
          [tensor([sa], [], dtype), tensor([sb], [], dtype), c.map((k) => (k ? sa : sb))],
        ];
        for (const [x, y, want] of cases) {
          const what = `where ${dtype} n=${n} [${x.shape}] [${y.shape}]`;
          const got = run('where', [tensor(c, [n], 'bool'), x, y], {}, dtype);
          expect(got.dtype, what).toBe(dtype);
          expect(same(got.values, want), what).toEqual([]);
        }
      }
      // cond broadcast along rows (stride 0 in the last dim) takes the scalar loop
      const c = [1, 0, 1];
      const a = vals(3 * 17, 5);
      const b = vals(17, 6);
      const want = a.map((v, i) => (c[Math.floor(i / 17)] ? v : b[i % 17]!));
      const got = run('where', [tensor(c, [3, 1], 'bool'), tensor(a, [3, 17], dtype), tensor(b, [17], dtype)], {}, dtype);
      expect(same(got.values, want), `where ${dtype} strided cond`).toEqual([]);
    }
  });

  it('where passes -0, NaN and ±Infinity through unchanged', () => {
    const n = 37;
    const a = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? -0 : i % 3 === 1 ? NaN : -i));
    const b = Array.from({ length: n }, (_, i) => (i % 2 ? Infinity : i % 4 ? -Infinity : -0));
    const c = Array.from({ length: n }, (_, i) => +(i % 4 !== 0));
    for (const dtype of ['float32', 'float64'] as DType[]) {
      const got = run('where', [tensor(c, [n], 'bool'), tensor(a, [n], dtype), tensor(b, [n], dtype)], {}, dtype);
      expect(same(got.values, c.map((k, i) => (k ? a[i]! : b[i]!))), dtype).toEqual([]);
    }
  });

  it('comparisons and where split over threads equal the single-threaded result', () => {
    for (const n of [1000, 4099, 65537]) {
      for (const dtype of ['float32', 'float64'] as DType[]) {
        const a = floats(n, 9);
        const b = floats(n, 10);
        const c = floats(n, 11).map((v) => +(v > 0));
        const [one, many] = bothWays(() => [
          run('gt', [tensor(a, [n], dtype), tensor(0, [], dtype)]).values,
          run('ne', [tensor(a, [n], dtype), tensor(b, [n], dtype)]).values,
          run('le', [tensor(3.25, [], dtype), tensor(b, [n], dtype)]).values,
          run('where', [tensor(c, [n], 'bool'), tensor(a, [n], dtype), tensor(0, [], dtype)], {}, dtype).values,
          run('where', [tensor(c, [n], 'bool'), tensor(a, [n], dtype), tensor(b, [n], dtype)], {}, dtype).values,
        ]);
        one.forEach((v, k) => expect(same(many[k]!, v), `${dtype} n=${n} case ${k}`).toEqual([]));
        const fa = a.map((v) => stored(v, dtype));
        expect(same(one[0]!, fa.map((v) => +(v > 0))), `gt ${dtype} n=${n}`).toEqual([]);
      }
    }
  });

  /** Reference reduction: float64 accumulation in row-major order of the reduced elements. */
  function reduceRef(op: string, data: number[], shape: number[], axes: number[], dtype: DType): number[] {
    const outShape = shape.filter((_, d) => !axes.includes(d));
    const nOut = outShape.reduce((p, q) => p * q, 1);
    const init = op === 'sum' ? 0 : op === 'prod' ? 1 : op === 'max' ? -Infinity : Infinity;
    const acc = new Array<number>(nOut).fill(init);
    const strides = shape.map((_, d) => shape.slice(d + 1).reduce((p, q) => p * q, 1));
    const keptDims = shape.map((_, d) => d).filter((d) => !axes.includes(d));
    const redDims = axes;
    const redShape = redDims.map((d) => shape[d]!);
    const nRed = redShape.reduce((p, q) => p * q, 1);
    for (let o = 0; o < nOut; o++) {
      let base = 0;
      let r = o;
      for (let k = keptDims.length - 1; k >= 0; k--) {
        const d = keptDims[k]!;
        base += (r % shape[d]!) * strides[d]!;
        r = Math.floor(r / shape[d]!);
      }
      let a = init;
      for (let j = 0; j < nRed; j++) {
        let off = base;
        let q = j;
        for (let k = redDims.length - 1; k >= 0; k--) {
          const d = redDims[k]!;
          off += (q % shape[d]!) * strides[d]!;
          q = Math.floor(q / shape[d]!);
        }
        const v = data[off]!;
        if (op === 'sum') a += v;
        else if (op === 'prod') a *= v;
        else if (op === 'max') a = v > a || v !== v ? v : a;
        else a = v < a || v !== v ? v : a;
      }
      acc[o] = stored(a, dtype);
    }
    return acc;
  }

  it('reductions over [lead, outer, m, inner] (conv bias gradient) fold in row-major order', () => {
    const shapes: [number[], number[]][] = [];
    for (const C of [1, 2, 3, 4, 5, 7, 8, 9, 13]) shapes.push([[3, C, 5, 7], [0, 2, 3]], [[2, C, 11], [0, 2]]);
    shapes.push([[4, 6, 3, 5], [0, 2]], [[2, 3, 4, 401], [0, 2]], [[5, 9], [0]], [[3, 7, 2], [0, 1]], [[2, 3, 2, 3, 2], [0, 2, 4]]);
    for (const dtype of ['float32', 'float64', 'int32', 'int8'] as DType[]) {
      for (const [shape, axes] of shapes) {
        const n = shape.reduce((p, q) => p * q, 1);
        const isFloat = dtype.startsWith('float');
        // values of mixed magnitude, so that a different summation order would round differently
        const data = Array.from(seededData(n, n + shape.length), (v, i) =>
          stored(isFloat ? (i % 17 === 5 ? SPECIAL[i % SPECIAL.length]! : v * 10 ** ((i % 9) - 4)) : Math.round(v * 5), dtype),
        );
        for (const op of ['sum', 'prod', 'max', 'min']) {
          const what = `${op} ${dtype} [${shape}] axes [${axes}]`;
          const want = reduceRef(op, data, shape, axes, dtype);
          const [one, many] = bothWays(() => run(op, [tensor(data, shape, dtype)], { axes }).values);
          expect(same(one, want), what).toEqual([]);
          expect(same(many, one), `${what} threaded`).toEqual([]);
        }
      }
    }
  });

  it('max / min keep the first of equal values (±0) and propagate NaN, in rows and in columns', () => {
    // every ordering of ±0 (and a NaN in some), as columns ([4, 7] over axis 0) and as rows
    const cols = [
      [-0, 0, -0, 0], [0, -0, 0, -0], [0, 0, -0, -0], [-0, -0, 0, 0], [NaN, 0, -0, 1], [0, NaN, -1, 1], [-0, 1, -1, NaN],
    ];
    const data: number[] = [];
    for (let i = 0; i < 4; i++) for (const c of cols) data.push(c[i]!);
    for (const dtype of ['float32', 'float64'] as DType[]) {
      for (const op of ['max', 'min']) {
        for (const [shape, axes, values] of [[[4, 7], [0], data], [[7, 4], [1], cols.flat()], [[2, 7, 2], [0, 2], cols.flat()]] as [number[], number[], number[]][]) {
          const what = `${op} ${dtype} [${shape}] axes [${axes}]`;
          const got = run(op, [tensor(values, shape, dtype)], { axes }).values;
          expect(same(got, reduceRef(op, values, shape, axes, dtype)), what).toEqual([]);
        }
      }
    }
  });

  it('a large float32 sum over [N, C, H·W] → [C] equals the sequential float64 sum', () => {
    const [N, C, HW] = [16, 10, 26 * 26];
    const data = Array.from(seededData(N * C * HW, 42), (v, i) => Math.fround(v * (i % 13 === 0 ? 1e4 : 1e-3)));
    const want = reduceRef('sum', data, [N, C, HW], [0, 2], 'float32');
    const [one, many] = bothWays(() => run('sum', [tensor(data, [N, C, 26, 26], 'float32')], { axes: [0, 2, 3] }).values);
    expect(same(one, want)).toEqual([]);
    expect(same(many, one)).toEqual([]);
  });
});
