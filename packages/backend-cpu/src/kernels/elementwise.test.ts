// The fast paths of the elementwise and reduction kernels (per-op loops, row coalescing,
// branch-free selection, chunking) against plain per-element references that spell out the
// kernel contract, on random shapes and every dtype. Results must match bit for bit (any NaN
// matches any NaN).
import { describe, expect, it } from 'vitest';
import {
  allocArray,
  broadcastShapes,
  checkInt64,
  float16BitsToFloat32,
  float32ToFloat16Bits,
  getBackend,
  grad,
  isKernelName,
  KERNELS,
  makeTensor,
  runKernel,
  setBackend,
  sigmoid,
  sizeOf,
  stridesOf,
  sum,
  type DType,
  type Tensor,
  type TypedArray,
} from '@mapnn/core';
import '../index.js';
import type { CpuBackend } from '../cpu-backend.js';
import { mulberry32 as rng } from '@mapnn/config/random';

setBackend('cpu');
const be = getBackend() as unknown as CpuBackend;

const NUMERIC: DType[] = ['float32', 'float64', 'int32', 'int64', 'int8', 'uint8', 'bool'];
const FLOATS: DType[] = ['float32', 'float64'];
const ALL: DType[] = [...NUMERIC, 'float16'];

const int = (r: () => number, n: number) => Math.floor(r() * n);

const SPECIAL = [NaN, 0, -0, Infinity, -Infinity, 1, -1, 0.5, -2.5, 3];

/** Random storage for `dtype`: ties, zeros, negatives, and for floats NaN/±0/±Inf. */
function values(r: () => number, dtype: DType, n: number): TypedArray {
  const out = allocArray(dtype, n);
  for (let i = 0; i < n; i++) {
    const u = r();
    let v: number;
    switch (dtype) {
      case 'float32':
      case 'float64':
      case 'float16':
        v = u < 0.15 ? SPECIAL[int(r, SPECIAL.length)]! : u < 0.35 ? int(r, 7) - 3 : (r() - 0.5) * 20;
        break;
      case 'int32':
        v = u < 0.1 ? (r() < 0.5 ? 2147483647 : -2147483648) : int(r, 41) - 20;
        break;
      case 'int64':
        v = int(r, 41) - 20;
        break;
      case 'int8':
        v = int(r, 256) - 128;
        break;
      case 'uint8':
        v = int(r, 256);
        break;
      case 'bool':
        v = int(r, 2);
        break;
    }
    out[i] = dtype === 'float16' ? float32ToFloat16Bits(v) : v;
  }
  return out;
}

function input(r: () => number, shape: number[], dtype: DType): Tensor {
  const arr = values(r, dtype, sizeOf(shape));
  return makeTensor({ dataId: be.write(arr, dtype), shape, dtype }, be as never, 'test');
}
const raw = (t: Tensor): TypedArray => be.get(t.dataId);

function expectSame(got: TypedArray, want: TypedArray, what: string): void {
  expect(got.constructor, what).toBe(want.constructor);
  expect(got.length, what).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    if (!(Object.is(g, w) || (g !== g && w !== w))) {
      throw new Error(`${what}: element ${i} is ${Object.is(g, -0) ? '-0' : g}, expected ${Object.is(w, -0) ? '-0' : w}`);
    }
  }
}

/** Calls `fn(outFlat, inputOffsets)` for each output position of a broadcast, row-major. */
function eachBroadcast(out: readonly number[], ins: readonly (readonly number[])[], fn: (o: number, offs: number[]) => void): void {
  const n = sizeOf(out);
  const rank = out.length;
  const idx = new Array<number>(rank).fill(0);
  // per input and output dim: the input stride, 0 where the input has no such dim or size 1
  const strides = ins.map((s) => {
    const st = stridesOf(s);
    return out.map((_, od) => {
      const d = od - (rank - s.length);
      return d < 0 || s[d] === 1 ? 0 : st[d]!;
    });
  });
  const offs = new Array<number>(ins.length).fill(0);
  for (let o = 0; o < n; o++) {
    for (let k = 0; k < ins.length; k++) {
      let off = 0;
      for (let d = 0; d < rank; d++) off += idx[d]! * strides[k]![d]!;
      offs[k] = off;
    }
    fn(o, offs);
    for (let d = rank - 1; d >= 0; d--) {
      if (++idx[d]! < out[d]!) break;
      idx[d] = 0;
    }
  }
}

// ---- the contract, one closure per op (the kernels' original formulation)
const roundHalfEven = (x: number): number => {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
};
const UNARY: Record<string, (x: number) => number> = {
  neg: (x) => -x,
  abs: Math.abs,
  exp: Math.exp,
  expm1: Math.expm1,
  log: Math.log,
  log1p: Math.log1p,
  sqrt: Math.sqrt,
  sin: Math.sin,
  cos: Math.cos,
  tanh: Math.tanh,
  sign: (x) => (x > 0 ? 1 : x < 0 ? -1 : x === 0 ? 0 : NaN),
  floor: Math.floor,
  ceil: Math.ceil,
  round: roundHalfEven,
  reciprocal: (x) => 1 / x,
  logicalNot: (x) => (x ? 0 : 1),
  sigmoid: (x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))),
};
const BINARY: Record<string, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: (a, b) => Math.pow(a, b),
  maximum: (a, b) => (a !== a || b !== b ? NaN : a > b ? a : b),
  minimum: (a, b) => (a !== a || b !== b ? NaN : a < b ? a : b),
  mod: (a, b) => a - Math.floor(a / b) * b,
  eq: (a, b) => (a === b ? 1 : 0),
  ne: (a, b) => (a !== b ? 1 : 0),
  lt: (a, b) => (a < b ? 1 : 0),
  le: (a, b) => (a <= b ? 1 : 0),
  gt: (a, b) => (a > b ? 1 : 0),
  ge: (a, b) => (a >= b ? 1 : 0),
  logicalAnd: (a, b) => (a && b ? 1 : 0),
  logicalOr: (a, b) => (a || b ? 1 : 0),
  logicalXor: (a, b) => ((a ? 1 : 0) !== (b ? 1 : 0) ? 1 : 0),
};
const BOOL_OUT = new Set(['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'logicalAnd', 'logicalOr', 'logicalXor']);

function refBinary(op: string, a: Tensor, b: Tensor): TypedArray {
  const shape = broadcastShapes(op, a.shape, b.shape);
  const dt: DType = BOOL_OUT.has(op) ? 'bool' : a.dtype;
  const out = allocArray(dt, sizeOf(shape));
  const av = raw(a);
  const bv = raw(b);
  eachBroadcast(shape, [a.shape, b.shape], (o, [i, j]) => (out[o] = BINARY[op]!(av[i!]!, bv[j!]!)));
  if (dt === 'bool' && !BOOL_OUT.has(op)) for (let i = 0; i < out.length; i++) out[i] = out[i] ? 1 : 0;
  return out;
}

/** A random output shape (rank 0–4, dims from a small set including 0 and 1) and operand shapes broadcasting to it. */
function broadcastCase(r: () => number, operands: number): { out: number[]; ins: number[][] } {
  const dims = [1, 1, 2, 3, 4, 5, 7];
  const rank = int(r, 5);
  const out = Array.from({ length: rank }, () => (r() < 0.05 ? 0 : dims[int(r, dims.length)]!));
  const ins = Array.from({ length: operands }, () => {
    const k = r() < 0.2 ? int(r, rank + 1) : rank; // rank mismatch
    return out.slice(rank - k).map((d) => (r() < 0.35 ? 1 : d));
  });
  // the broadcast of the operands (some dims may have become 1 everywhere)
  return { out: broadcastShapes('test', ...ins), ins };
}

/** Larger cases: long rows (several chunks), the CNN shapes in miniature, scalars. */
const BIG_PAIRS: [number[], number[]][] = [
  [[3, 4, 5, 6], [1, 4, 1, 1]],
  [[2, 3, 4, 5, 5], [2, 3, 1, 5, 5]],
  [[2, 9000], [2, 9000]],
  [[2, 9000], []],
  [[], [9001]],
  [[9001, 1], [1, 3]],
  [[3, 5000], [3, 1]],
  [[5000, 2], [2]],
  [[4097], [4097]],
];

describe('cpu elementwise kernels match per-element references', () => {
  it('unary ops, every dtype', () => {
    const r = rng(1);
    for (const op of Object.keys(UNARY)) {
      for (const dt of isKernelName(op) ? KERNELS[op].dtypes : NUMERIC) { // the dtypes the table (and cpu) gives the kernel
        for (const shape of [[], [0], [7], [3, 1, 5], [2, 4500]]) {
          const x = input(r, shape, dt);
          const got = runKernel(op, [x]);
          const want = allocArray(op === 'logicalNot' ? 'bool' : dt, sizeOf(shape));
          const xv = raw(x);
          for (let i = 0; i < want.length; i++) want[i] = UNARY[op]!(xv[i]!);
          expectSame(raw(got), want, `${op} ${dt} [${shape}]`);
        }
      }
    }
  });

  it('erf is odd, bounded and close to known values', () => {
    const x = makeTensor({ dataId: be.write(Float64Array.from([0, 0.5, -0.5, 1, 2, 3, -3, 10, NaN]), 'float64'), shape: [9], dtype: 'float64' }, be as never, 'test');
    const got = Array.from(raw(runKernel('erf', [x])));
    const want = [0, 0.5204998778130465, -0.5204998778130465, 0.8427007929497149, 0.9953222650189527, 0.9999779095030014, -0.9999779095030014, 1, NaN];
    got.forEach((g, i) => (Number.isNaN(want[i]) ? expect(g).toBeNaN() : expect(g).toBeCloseTo(want[i]!, 12)));
  });

  it('binary ops with random broadcasting (size-1 dims, rank mismatch, empty, scalars), every dtype', () => {
    const r = rng(2);
    for (let trial = 0; trial < 60; trial++) {
      const { ins } = broadcastCase(r, 2);
      for (const op of Object.keys(BINARY)) {
        for (const dt of NUMERIC) {
          const a = input(r, ins[0]!, dt);
          const b = input(r, ins[1]!, dt);
          const got = runKernel(op, [a, b]);
          expectSame(raw(got), refBinary(op, a, b), `${op} ${dt} [${a.shape}] [${b.shape}]`);
          for (const t of [a, b, got]) t.dispose();
        }
      }
    }
  });

  it('binary ops on long rows and chunked runs', () => {
    const r = rng(3);
    for (const [s0, s1] of BIG_PAIRS) {
      for (const op of ['add', 'div', 'maximum', 'minimum', 'le', 'logicalXor']) {
        for (const dt of ['float32', 'float64', 'int8'] as DType[]) {
          for (const [sa, sb] of [
            [s0, s1],
            [s1, s0],
          ]) {
            const a = input(r, sa!, dt);
            const b = input(r, sb!, dt);
            const got = runKernel(op, [a, b]);
            expectSame(raw(got), refBinary(op, a, b), `${op} ${dt} [${sa}] [${sb}]`);
            for (const t of [a, b, got]) t.dispose();
          }
        }
      }
    }
  });

  it('maximum/minimum keep NaN and signed-zero semantics against scalars', () => {
    for (const dt of FLOATS) {
      const x = makeTensor({ dataId: be.write(allocArray(dt, 6).fill(0).map((_, i) => [NaN, -0, 0, -1, 1, -Infinity][i]!), dt), shape: [6], dtype: dt }, be as never, 'test');
      for (const s of [NaN, 0, -0, -Infinity, 0.5]) {
        const y = makeTensor({ dataId: be.write(allocArray(dt, 1).fill(s), dt), shape: [], dtype: dt }, be as never, 'test');
        for (const op of ['maximum', 'minimum']) {
          expectSame(raw(runKernel(op, [x, y])), refBinary(op, x, y), `${op}(x, ${s}) ${dt}`);
          expectSame(raw(runKernel(op, [y, x])), refBinary(op, y, x), `${op}(${s}, x) ${dt}`);
        }
      }
    }
  });

  it('where with three-way broadcasting, every dtype', () => {
    const r = rng(4);
    const cases = [...Array.from({ length: 80 }, () => broadcastCase(r, 3).ins), [[2, 5000], [2, 5000], [2, 5000]], [[2, 5000], [2, 1], []], [[4, 1], [4, 3000], [3000]]];
    for (const ins of cases) {
      for (const dt of NUMERIC) {
        const c = input(r, ins[0]!, 'bool');
        const a = input(r, ins[1]!, dt);
        const b = input(r, ins[2]!, dt);
        const shape = broadcastShapes('where', c.shape, a.shape, b.shape);
        const want = allocArray(dt, sizeOf(shape));
        const [cv, av, bv] = [raw(c), raw(a), raw(b)];
        eachBroadcast(shape, [c.shape, a.shape, b.shape], (o, [i, j, k]) => (want[o] = cv[i!] ? av[j!]! : bv[k!]!));
        expectSame(raw(runKernel('where', [c, a, b], {}, dt)), want, `where ${dt} [${c.shape}] [${a.shape}] [${b.shape}]`);
      }
    }
  });

  it('broadcastTo, every dtype including float16', () => {
    const r = rng(5);
    for (let trial = 0; trial < 60; trial++) {
      const { out, ins } = broadcastCase(r, 1);
      for (const dt of ALL) {
        const x = input(r, ins[0]!, dt);
        const want = allocArray(dt, sizeOf(out));
        const xv = raw(x);
        eachBroadcast(out, [x.shape], (o, [i]) => (want[o] = xv[i!]!));
        expectSame(raw(runKernel('broadcastTo', [x], { shape: out })), want, `broadcastTo ${dt} [${x.shape}] → [${out}]`);
      }
    }
  });

  it('transpose with random permutations, every dtype including float16', () => {
    const r = rng(6);
    const shapes = [[], [0, 3], [5], [40, 70], [3, 1, 37, 33], [2, 3, 4, 5], [1, 35, 1, 40], ...Array.from({ length: 40 }, () => Array.from({ length: int(r, 5) }, () => [1, 2, 3, 5][int(r, 4)]!))];
    for (const shape of shapes) {
      for (const dt of ALL) {
        const perm = shape.map((_, i) => i);
        for (let i = perm.length - 1; i > 0; i--) {
          const j = int(r, i + 1);
          [perm[i], perm[j]] = [perm[j]!, perm[i]!];
        }
        const x = input(r, shape, dt);
        const outShape = perm.map((p) => shape[p]!);
        const want = allocArray(dt, sizeOf(shape));
        const xs = stridesOf(shape);
        const xv = raw(x);
        const idx = new Array<number>(outShape.length).fill(0);
        for (let o = 0; o < want.length; o++) {
          want[o] = xv[idx.reduce((acc, v, d) => acc + v * xs[perm[d]!]!, 0)]!;
          for (let d = outShape.length - 1; d >= 0; d--) {
            if (++idx[d]! < outShape[d]!) break;
            idx[d] = 0;
          }
        }
        expectSame(raw(runKernel('transpose', [x], { perm })), want, `transpose ${dt} [${shape}] perm [${perm}]`);
      }
    }
  });

  it('cast between every pair of dtypes', () => {
    const r = rng(7);
    for (const from of ALL) {
      for (const to of ALL) {
        for (const shape of [[0], [], [33], [2, 4500]]) {
          const x = input(r, shape, from);
          const xv = raw(x);
          const read = (i: number) => (from === 'float16' ? float16BitsToFloat32(xv[i]!) : xv[i]!);
          const want = allocArray(to, sizeOf(shape));
          for (let i = 0; i < want.length; i++) {
            const v = read(i);
            if (to === 'float16') want[i] = float32ToFloat16Bits(v);
            else if (to === 'bool') want[i] = v !== 0 ? 1 : 0;
            else if (to === 'int32' || to === 'int8' || to === 'uint8' || to === 'int64') want[i] = Math.trunc(v);
            else want[i] = v;
          }
          const finite = Array.from(want).every((v) => Number.isFinite(v));
          if (to === 'int64' && !finite) {
            expect(() => runKernel('cast', [x], { dtype: to })).toThrow(RangeError);
            continue;
          }
          if (to === 'int64') for (const v of want) checkInt64(v, 'test');
          expectSame(raw(runKernel('cast', [x], { dtype: to })), want, `cast ${from} → ${to} [${shape}]`);
        }
      }
    }
  });

  it('sigmoid kernel is stable, and core sigmoid uses it with the same gradient', () => {
    const xs = Float32Array.from([-1000, -20, -1, -0, 0, 1e-8, 1, 20, 1000, NaN, -Infinity, Infinity]);
    const x = makeTensor({ dataId: be.write(xs, 'float32'), shape: [xs.length], dtype: 'float32' }, be as never, 'test');
    const got = Array.from(sigmoid(x).dataSync());
    const want = Array.from(xs, (v) => Math.fround(UNARY.sigmoid!(v)));
    got.forEach((g, i) => (Number.isNaN(want[i]) ? expect(g).toBeNaN() : expect(g).toBe(want[i])));
    expect(got.slice(0, 9).every((v) => v >= 0 && v <= 1)).toBe(true);
    const t = makeTensor({ dataId: be.write(Float64Array.from([-3, -0.5, 0, 0.25, 4]), 'float64'), shape: [5], dtype: 'float64' }, be as never, 'test');
    const g = Array.from(grad((v: Tensor) => sum(sigmoid(v)))(t).dataSync());
    [-3, -0.5, 0, 0.25, 4].forEach((v, i) => {
      const s = 1 / (1 + Math.exp(-v));
      expect(g[i]).toBeCloseTo(s * (1 - s), 14);
    });
  });
});

// ---- reductions
const INIT: Record<string, number> = { sum: 0, prod: 1, max: -Infinity, min: Infinity };
const STEP: Record<string, (acc: number, v: number) => number> = {
  sum: (s, v) => s + v,
  prod: (s, v) => s * v,
  max: (s, v) => (v > s || v !== v ? v : s),
  min: (s, v) => (v < s || v !== v ? v : s),
};

/** Folds every output's elements in row-major order of the reduced dims, in float64. */
function refReduce(op: string, x: Tensor, axes: number[]): TypedArray {
  const shape = x.shape;
  const keep = shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const out = allocArray(x.dtype, sizeOf(keep.map((i) => shape[i]!)));
  const acc = new Float64Array(out.length).fill(INIT[op]!);
  const xv = raw(x);
  // per input dim, the output stride (0 on reduced dims)
  const kst = stridesOf(keep.map((i) => shape[i]!));
  const ost = shape.map((_, d) => (keep.includes(d) ? kst[keep.indexOf(d)]! : 0));
  const step = STEP[op]!;
  const idx = new Array<number>(shape.length).fill(0);
  for (let f = 0; f < xv.length; f++) {
    let o = 0;
    for (let d = 0; d < shape.length; d++) o += idx[d]! * ost[d]!;
    acc[o] = step(acc[o]!, xv[f]!);
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++idx[d]! < shape[d]!) break;
      idx[d] = 0;
    }
  }
  for (let i = 0; i < out.length; i++) out[i] = acc[i]!;
  return out;
}

function refArg(op: string, x: Tensor, axis: number): TypedArray {
  const shape = x.shape;
  const outer = sizeOf(shape.slice(0, axis));
  const m = shape[axis]!;
  const inner = sizeOf(shape.slice(axis + 1));
  const out = allocArray('int64', outer * inner);
  const xv = raw(x);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let best = xv[o * m * inner + i]!;
      let bi = 0;
      for (let j = 1; j < m; j++) {
        const v = xv[(o * m + j) * inner + i]!;
        if (best !== best) break;
        if ((op === 'argmax' ? v > best : v < best) || v !== v) {
          best = v;
          bi = j;
        }
      }
      out[o * inner + i] = m === 0 ? 0 : bi;
    }
  }
  return out;
}

describe('cpu reduction kernels match per-element references', () => {
  const r = rng(8);
  const randomShapes = Array.from({ length: 50 }, () => Array.from({ length: 1 + int(r, 4) }, () => [0, 1, 1, 2, 3, 4, 6][int(r, 7)]!));
  const bigShapes = [[3, 5000], [2, 9000], [9000, 2], [2, 3, 4, 5, 5], [4, 3, 5, 6], [3, 4100, 2]];

  it('sum, prod, max, min over random axis sets (empty dims, NaN, every dtype)', () => {
    for (const shape of [...randomShapes, ...bigShapes]) {
      const subsets = (1 << shape.length) - 1;
      for (let t = 0; t < 3; t++) {
        const mask = 1 + int(r, subsets);
        const axes = shape.map((_, i) => i).filter((i) => mask & (1 << i));
        for (const dt of NUMERIC) {
          const x = input(r, shape, dt);
          for (const op of ['sum', 'prod', 'max', 'min']) {
            expectSame(raw(runKernel(op, [x], { axes })), refReduce(op, x, axes), `${op} ${dt} [${shape}] axes [${axes}]`);
          }
          x.dispose();
        }
      }
    }
  });

  it('argmax, argmin: first index on ties, NaN wins, every dtype', () => {
    for (const shape of [...randomShapes, ...bigShapes, [5, 0, 3], [4, 1]]) {
      for (let axis = 0; axis < shape.length; axis++) {
        for (const dt of NUMERIC) {
          const x = input(r, shape, dt);
          for (const op of ['argmax', 'argmin']) {
            expectSame(raw(runKernel(op, [x], { axis })), refArg(op, x, axis), `${op} ${dt} [${shape}] axis ${axis}`);
          }
          x.dispose();
        }
      }
    }
  });
});
