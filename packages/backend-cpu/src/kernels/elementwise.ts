import { broadcastShapes, broadcastStrides, sizeOf, stridesOf, type DType, type TypedArray } from '@mapnn/core';
import { cpuKernel, FLOATS, NUMERIC } from './register.js';

// ---- unary
const erf = (x: number): number => {
  // Abramowitz–Stegun 7.1.26 is too coarse for float64 checks; use a series/continued-fraction pair.
  const ax = Math.abs(x);
  if (ax < 2.5) {
    // Maclaurin series
    let sum = x;
    let term = x;
    const x2 = x * x;
    for (let n = 1; n < 80; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  }
  // continued fraction for erfc
  let f = 0;
  for (let n = 60; n >= 1; n--) f = n / 2 / (ax + f);
  const erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / (ax + f);
  return x > 0 ? 1 - erfc : erfc - 1;
};

const roundHalfEven = (x: number): number => {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
};

export const UNARY: Record<string, (x: number) => number> = {
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
  erf,
  sign: (x) => (x > 0 ? 1 : x < 0 ? -1 : x === 0 ? 0 : NaN),
  floor: Math.floor,
  ceil: Math.ceil,
  round: roundHalfEven,
  reciprocal: (x) => 1 / x,
  logicalNot: (x) => (x ? 0 : 1),
};

const FLOAT_ONLY = new Set(['exp', 'expm1', 'log', 'log1p', 'sqrt', 'sin', 'cos', 'tanh', 'erf', 'reciprocal']);

for (const [op, f] of Object.entries(UNARY)) {
  cpuKernel(
    op,
    ([x], _attrs, be) => {
      const a = be.get(x!.dataId);
      const outDtype: DType = op === 'logicalNot' ? 'bool' : x!.dtype;
      const out = be.alloc(x!.shape, outDtype);
      for (let i = 0; i < a.length; i++) out[i] = f(a[i]!);
      return be.output(out, x!.shape, outDtype);
    },
    FLOAT_ONLY.has(op) ? FLOATS : NUMERIC,
  );
}

// ---- binary with broadcasting
export const BINARY: Record<string, (a: number, b: number) => number> = {
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

/**
 * Visits every element of a broadcast of inputs, calling `fn(outIndex, offsets…)`.
 * The innermost dim is a tight loop over strides.
 */
export function broadcastLoop(outShape: readonly number[], inShapes: readonly (readonly number[])[], fn: (o: number, offs: number[]) => void): void {
  const rank = outShape.length;
  const n = sizeOf(outShape);
  if (n === 0) return;
  const strides = inShapes.map((s) => broadcastStrides(s, outShape));
  const idx = new Array<number>(rank).fill(0);
  const offs = new Array<number>(inShapes.length).fill(0);
  for (let o = 0; o < n; o++) {
    fn(o, offs);
    // increment the multi-index
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]!++;
      for (let k = 0; k < offs.length; k++) offs[k]! += strides[k]![d]!;
      if (idx[d]! < outShape[d]!) break;
      for (let k = 0; k < offs.length; k++) offs[k]! -= strides[k]![d]! * outShape[d]!;
      idx[d] = 0;
    }
  }
}

function binaryKernel(op: string, f: (a: number, b: number) => number): void {
  cpuKernel(
    op,
    ([x, y], _attrs, be) => {
      const a = be.get(x!.dataId);
      const b = be.get(y!.dataId);
      const shape = broadcastShapes(op, x!.shape, y!.shape);
      const outDtype: DType = BOOL_OUT.has(op) ? 'bool' : x!.dtype;
      const out = be.alloc(shape, outDtype);
      if (a.length === out.length && b.length === out.length) {
        for (let i = 0; i < out.length; i++) out[i] = f(a[i]!, b[i]!);
      } else if (b.length === 1 && a.length === out.length) {
        const bv = b[0]!;
        for (let i = 0; i < out.length; i++) out[i] = f(a[i]!, bv);
      } else if (a.length === 1 && b.length === out.length) {
        const av = a[0]!;
        for (let i = 0; i < out.length; i++) out[i] = f(av, b[i]!);
      } else {
        broadcastLoop(shape, [x!.shape, y!.shape], (o, offs) => {
          out[o] = f(a[offs[0]!]!, b[offs[1]!]!);
        });
      }
      // bool arithmetic stays 0/1 (PyTorch: True + True is True)
      if (outDtype === 'bool' && !BOOL_OUT.has(op)) for (let i = 0; i < out.length; i++) out[i] = out[i] ? 1 : 0;
      return be.output(out, shape, outDtype);
    },
    NUMERIC,
  );
}
for (const [op, f] of Object.entries(BINARY)) binaryKernel(op, f);

cpuKernel('where', ([c, x, y], _attrs, be) => {
  const cv = be.get(c!.dataId);
  const a = be.get(x!.dataId);
  const b = be.get(y!.dataId);
  const shape = broadcastShapes('where', c!.shape, x!.shape, y!.shape);
  const out = be.alloc(shape, x!.dtype);
  broadcastLoop(shape, [c!.shape, x!.shape, y!.shape], (o, offs) => {
    out[o] = cv[offs[0]!] ? a[offs[1]!]! : b[offs[2]!]!;
  });
  return be.output(out, shape, x!.dtype);
}, NUMERIC);

cpuKernel('broadcastTo', ([x], attrs, be) => {
  const shape = attrs.shape as number[];
  const a = be.get(x!.dataId);
  const out = be.alloc(shape, x!.dtype);
  broadcastLoop(shape, [x!.shape], (o, offs) => {
    out[o] = a[offs[0]!]!;
  });
  return be.output(out, shape, x!.dtype);
}, [...NUMERIC, 'float16']);

// ---- cast (float16 stored as bits; int conversions truncate; bool is != 0)
import { float16BitsToFloat32, float32ToFloat16Bits, checkInt64 } from '@mapnn/core';
cpuKernel('cast', ([x], attrs, be) => {
  const to = attrs.dtype as DType;
  const a = be.get(x!.dataId);
  const out: TypedArray = be.alloc(x!.shape, to);
  const from = x!.dtype;
  const n = a.length;
  const read = from === 'float16' ? (i: number) => float16BitsToFloat32(a[i]!) : (i: number) => a[i]!;
  if (to === 'float16') for (let i = 0; i < n; i++) out[i] = float32ToFloat16Bits(read(i));
  else if (to === 'bool') for (let i = 0; i < n; i++) out[i] = read(i) !== 0 ? 1 : 0; // NaN → true, like PyTorch
  else if (to === 'int64') {
    for (let i = 0; i < n; i++) {
      const v = Math.trunc(read(i));
      checkInt64(v, 'cast to int64');
      out[i] = v;
    }
  } else if (to === 'int32' || to === 'int8' || to === 'uint8') for (let i = 0; i < n; i++) out[i] = Math.trunc(read(i));
  else for (let i = 0; i < n; i++) out[i] = read(i);
  return be.output(out, x!.shape, to);
}, [...NUMERIC, 'float16']);

// ---- transpose
cpuKernel('transpose', ([x], attrs, be) => {
  const perm = attrs.perm as number[];
  const a = be.get(x!.dataId);
  const inShape = x!.shape;
  const shape = perm.map((p) => inShape[p]!);
  const inStrides = stridesOf(inShape);
  const out = be.alloc(shape, x!.dtype);
  const rank = shape.length;
  const st = perm.map((p) => inStrides[p]!);
  const n = out.length;
  if (rank === 0 || n === 0) {
    if (n) out[0] = a[0]!;
    return be.output(out, shape, x!.dtype);
  }
  const idx = new Array<number>(rank).fill(0);
  let off = 0;
  const last = rank - 1;
  const lastN = shape[last]!;
  const lastS = st[last]!;
  for (let o = 0; o < n; o += lastN) {
    for (let j = 0; j < lastN; j++) out[o + j] = a[off + j * lastS]!;
    for (let d = last - 1; d >= 0; d--) {
      idx[d]!++;
      off += st[d]!;
      if (idx[d]! < shape[d]!) break;
      off -= st[d]! * shape[d]!;
      idx[d] = 0;
    }
  }
  return be.output(out, shape, x!.dtype);
}, [...NUMERIC, 'float16']);
