// CPU kernels: elementwise unary/binary ops, `where`, `broadcastTo`, `cast` and `transpose`
// (see docs/kernels-and-ops.md for the contract). The per-element work lives in per-op loops
// (elementwise-loops.ts); broadcasting runs them over rows (broadcast.ts).
import {
  broadcastShapes,
  checkInt64,
  float16BitsToFloat32,
  float32ToFloat16Bits,
  stridesOf,
  type DType,
  type KernelName,
  type Shape,
  type TypedArray,
} from '@mapnn/core/backend';
import { forEachIndex, rowMajor, rowPlan, type RowPlan } from './broadcast.js';
import {
  BINARY_LOOPS,
  CHUNK,
  familyOf,
  SELECT_LOOPS,
  UNARY_LOOPS,
  WHERE_LOOPS,
  wordsOf,
  type BinaryLoops,
  type Family,
  type SelectLoops,
  type UnaryLoop,
} from './elementwise-loops.js';
import type { CpuKernel, CpuKernels } from './register.js';

// ---------------------------------------------------------------- unary

/** The kernel of unary `op` (its loops in UNARY_LOOPS), for the dtypes of the spec table. */
function unaryKernel<K extends KernelName>(op: K): CpuKernel<K> {
  const loops: Partial<Record<Family, UnaryLoop>> | undefined = UNARY_LOOPS[op];
  if (!loops) throw new Error(`cpu backend: no unary loops for '${op}'`);
  return ([x], _attrs, be) => {
    const a = be.get(x!.dataId);
    const outDtype: DType = op === 'logicalNot' ? 'bool' : x!.dtype;
    const out = be.alloc(x!.shape, outDtype);
    const loop = loops[familyOf(a)] ?? loops.any;
    if (!loop) throw new Error(`${op}: no cpu loop for ${x!.dtype}`);
    const n = a.length;
    for (let k = 0; k < n; k += CHUNK) loop(out, a, k, Math.min(CHUNK, n - k));
    return be.output(out, x!.shape, outDtype);
  };
}

const unaryKernels = {
  neg: unaryKernel('neg'), abs: unaryKernel('abs'), sign: unaryKernel('sign'), floor: unaryKernel('floor'),
  ceil: unaryKernel('ceil'), round: unaryKernel('round'), logicalNot: unaryKernel('logicalNot'),
  exp: unaryKernel('exp'), expm1: unaryKernel('expm1'), log: unaryKernel('log'), log1p: unaryKernel('log1p'),
  sqrt: unaryKernel('sqrt'), sin: unaryKernel('sin'), cos: unaryKernel('cos'), tanh: unaryKernel('tanh'),
  erf: unaryKernel('erf'), reciprocal: unaryKernel('reciprocal'), sigmoid: unaryKernel('sigmoid'),
} satisfies CpuKernels;

// ---------------------------------------------------------------- binary with broadcasting

const BOOL_OUT = new Set(['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'logicalAnd', 'logicalOr', 'logicalXor']);

/**
 * The rows of broadcasting `shapes` to `shape`: a single row when every input is either the
 * full output or a scalar, else the row plan.
 */
function rowsOf(shape: Shape, total: number, arrays: readonly TypedArray[], shapes: readonly Shape[]): RowPlan {
  if (arrays.every((t) => t.length === total || t.length === 1)) {
    return { n: total, inner: arrays.map((t) => (t.length === total ? 1 : 0)), dims: [], strides: [] };
  }
  return rowPlan(shape, shapes);
}

/** Runs `loops` over the broadcast of `a` (shape `aShape`) and `b` (shape `bShape`) into `out` (shape `shape`). */
function runBinary(loops: BinaryLoops, out: TypedArray, a: TypedArray, aShape: Shape, b: TypedArray, bShape: Shape, shape: Shape): void {
  const total = out.length;
  if (total === 0) return;
  const { n, inner, dims, strides } = rowsOf(shape, total, [a, b], [aShape, bShape]);
  const as = inner[0]!;
  const bs = inner[1]!;
  forEachIndex(dims, strides, (o, pa, pb) => {
    for (let k = 0; k < n; k += CHUNK) {
      const len = Math.min(CHUNK, n - k);
      if (as === 1 && bs === 1) loops.c(out, o + k, a, pa + k, b, pb + k, len);
      else if (as === 1 && bs === 0) loops.sb(out, o + k, a, pa + k, b[pb]!, len);
      else if (as === 0 && bs === 1) loops.sa(out, o + k, a[pa]!, b, pb + k, len);
      else loops.s(out, o + k, a, pa + k * as, as, b, pb + k * bs, bs, len);
    }
  });
}

/**
 * Runs selecting loops (maximum/minimum) on the words of the operands; false when the storage
 * does not allow it (operands of different storage, float16), so the caller falls back to values.
 */
function runSelect(families: Record<Family, SelectLoops>, out: TypedArray, a: TypedArray, aShape: Shape, b: TypedArray, bShape: Shape, shape: Shape): boolean {
  if (a.constructor !== b.constructor || a.constructor !== out.constructor) return false;
  const wa = wordsOf(a);
  const wb = wordsOf(b);
  const wo = wordsOf(out);
  if (!wa || !wb || !wo) return false;
  const loops = families[familyOf(a)];
  const aw = wa.w;
  const bw = wb.w;
  const ow = wo.w;
  const total = out.length;
  if (total === 0) return true;
  const { n, inner, dims, strides } = rowsOf(shape, total, [a, b], [aShape, bShape]);
  const as = inner[0]!;
  const bs = inner[1]!;
  forEachIndex(dims, strides, (o, pa, pb) => {
    for (let k = 0; k < n; k += CHUNK) {
      const len = Math.min(CHUNK, n - k);
      if (as === 1 && bs === 0) loops.sb(ow, o + k, a, aw, pa + k, b, bw, pb, len);
      else loops.s(ow, o + k, a, aw, pa + k * as, as, b, bw, pb + k * bs, bs, len);
    }
  });
  return true;
}

/** The kernel of binary `op` (its loops in BINARY_LOOPS), broadcasting its operands. */
function binaryKernel(op: KernelName): CpuKernel<'add'> { // every binary kernel takes no attrs
  const loops: Record<Family, BinaryLoops> | undefined = BINARY_LOOPS[op];
  if (!loops) throw new Error(`cpu backend: no binary loops for '${op}'`);
  const boolOut = BOOL_OUT.has(op);
  const select = op === 'maximum' || op === 'minimum' ? SELECT_LOOPS[op] : undefined;
  return ([x, y], _attrs, be) => {
    const a = be.get(x!.dataId);
    const b = be.get(y!.dataId);
    const shape = broadcastShapes(op, x!.shape, y!.shape);
    const outDtype: DType = boolOut ? 'bool' : x!.dtype;
    const out = be.alloc(shape, outDtype);
    if (!select || !runSelect(select, out, a, x!.shape, b, y!.shape, shape)) {
      runBinary(loops[familyOf(a, b)], out, a, x!.shape, b, y!.shape, shape);
    }
    // bool arithmetic stays 0/1 (PyTorch: True + True is True)
    if (outDtype === 'bool' && !boolOut) for (let i = 0; i < out.length; i++) out[i] = out[i] ? 1 : 0;
    return be.output(out, shape, outDtype);
  };
}

const binaryKernels = {
  add: binaryKernel('add'), sub: binaryKernel('sub'), mul: binaryKernel('mul'), div: binaryKernel('div'),
  pow: binaryKernel('pow'), maximum: binaryKernel('maximum'), minimum: binaryKernel('minimum'), mod: binaryKernel('mod'),
  eq: binaryKernel('eq'), ne: binaryKernel('ne'), lt: binaryKernel('lt'), le: binaryKernel('le'), gt: binaryKernel('gt'),
  ge: binaryKernel('ge'), logicalAnd: binaryKernel('logicalAnd'), logicalOr: binaryKernel('logicalOr'),
  logicalXor: binaryKernel('logicalXor'),
} satisfies CpuKernels;

// ---------------------------------------------------------------- where

const where: CpuKernel<'where'> = ([c, x, y], _attrs, be) => {
  const cv = be.get(c!.dataId);
  const a = be.get(x!.dataId);
  const b = be.get(y!.dataId);
  const shape = broadcastShapes('where', c!.shape, x!.shape, y!.shape);
  const out = be.alloc(shape, x!.dtype);
  const total = out.length;
  if (total === 0) return be.output(out, shape, x!.dtype);
  // select words when the condition is 0/1 bool storage and a, b and out share storage
  const wa = wordsOf(a);
  const wb = wordsOf(b);
  const wo = wordsOf(out);
  let loops = WHERE_LOOPS.values;
  let [oa, aa, ba] = [out, a, b];
  if (c!.dtype === 'bool' && a.constructor === b.constructor && a.constructor === out.constructor && wa && wb && wo) {
    loops = wa.wide ? WHERE_LOOPS.w64 : WHERE_LOOPS.w32;
    [oa, aa, ba] = [wo.w, wa.w, wb.w];
  }
  const { n, inner, dims, strides } = rowsOf(shape, total, [cv, a, b], [c!.shape, x!.shape, y!.shape]);
  const [cs, as, bs] = inner;
  const contiguous = cs === 1 && as === 1 && bs === 1;
  forEachIndex(dims, strides, (o, pc, pa, pb) => {
    for (let k = 0; k < n; k += CHUNK) {
      const len = Math.min(CHUNK, n - k);
      if (contiguous) loops.c(oa, o + k, cv, pc + k, aa, pa + k, ba, pb + k, len);
      else loops.s(oa, o + k, cv, pc + k * cs, cs, aa, pa + k * as, as, ba, pb + k * bs, bs, len);
    }
  });
  return be.output(out, shape, x!.dtype);
};

// ---------------------------------------------------------------- broadcastTo

/** Below this many elements a plain loop beats `subarray` + `set`. */
const SMALL_COPY = 16;

const broadcastTo: CpuKernel<'broadcastTo'> = ([x], attrs, be) => {
  const shape = attrs.shape;
  const a = be.get(x!.dataId);
  const out = be.alloc(shape, x!.dtype);
  if (out.length === 0) return be.output(out, shape, x!.dtype);
  if (a.length === out.length) {
    out.set(a);
    return be.output(out, shape, x!.dtype);
  }
  const plan = rowPlan(shape, [x!.shape]);
  const n = plan.n;
  const s = plan.inner[0]!;
  forEachIndex(plan.dims, plan.strides, (o, p) => {
    if (s === 0) out.fill(a[p]!, o, o + n);
    else if (s === 1 && n >= SMALL_COPY) out.set(a.subarray(p, p + n), o);
    else for (let j = 0; j < n; j++) out[o + j] = a[p + j * s]!;
  });
  return be.output(out, shape, x!.dtype);
};

// ---------------------------------------------------------------- cast
// float16 is stored as bits; int conversions truncate; bool is != 0 (NaN → true, like PyTorch).

let f16Table: Float32Array | null = null;
/** All 65536 float16 bit patterns decoded (256 KiB, built on first use). */
function float16Table(): Float32Array {
  if (!f16Table) {
    f16Table = new Float32Array(65536);
    for (let h = 0; h < 65536; h++) f16Table[h] = float16BitsToFloat32(h);
  }
  return f16Table;
}

const INT64_MAX_SAFE = Number.MAX_SAFE_INTEGER;

const cast: CpuKernel<'cast'> = ([x], attrs, be) => {
  const to = attrs.dtype;
  let a = be.get(x!.dataId);
  const out: TypedArray = be.alloc(x!.shape, to);
  const n = a.length;
  if (x!.dtype === 'float16') {
    const table = float16Table();
    const dec = to === 'float32' || to === 'float64' ? out : new Float32Array(n);
    for (let i = 0; i < n; i++) dec[i] = table[a[i]!]!;
    if (dec === out) return be.output(out, x!.shape, to);
    a = dec;
  }
  if (to === 'float16') for (let i = 0; i < n; i++) out[i] = float32ToFloat16Bits(a[i]!);
  else if (to === 'bool') for (let i = 0; i < n; i++) out[i] = +(a[i] !== 0);
  else if (to === 'int64') {
    for (let i = 0; i < n; i++) {
      const v = Math.trunc(a[i]!);
      if (!(Math.abs(v) <= INT64_MAX_SAFE)) checkInt64(v, 'cast to int64');
      out[i] = v;
    }
  } else {
    // float32/float64 convert on store; storing into int32/int8/uint8 truncates toward zero and
    // wraps exactly as storing Math.trunc(v) does
    out.set(a);
  }
  return be.output(out, x!.shape, to);
};

// ---------------------------------------------------------------- transpose

/** Edge of the square tiles a transpose that moves the contiguous dim copies through. */
const TILE = 32;

/**
 * `arr` viewed as one storage kind per element width (Uint8Array, Uint16Array, Int32Array,
 * Float64Array), for loops that only copy elements: they then see at most four kinds, which
 * keeps V8's element accesses fast whatever dtypes pass through.
 */
function rawView(arr: TypedArray): TypedArray {
  if (arr instanceof Float32Array) return new Int32Array(arr.buffer, arr.byteOffset, arr.length);
  if (arr instanceof Int8Array) return new Uint8Array(arr.buffer, arr.byteOffset, arr.length);
  return arr;
}

const transpose: CpuKernel<'transpose'> = ([x], attrs, be) => {
  const perm = attrs.perm;
  const inShape = x!.shape;
  const shape = perm.map((p) => inShape[p]!);
  const result = be.alloc(shape, x!.dtype);
  const total = result.length;
  if (total === 0) return be.output(result, shape, x!.dtype);
  const a = rawView(be.get(x!.dataId));
  const out = rawView(result);
  // output dims > 1 with their input strides, merging dims that stay adjacent in the input
  const inStrides = stridesOf(inShape);
  const dims: number[] = [];
  const st: number[] = [];
  for (let d = 0; d < shape.length; d++) {
    const size = shape[d]!;
    if (size === 1) continue;
    const s = inStrides[perm[d]!]!;
    const last = dims.length - 1;
    if (last >= 0 && st[last] === s * size) {
      dims[last]! *= size;
      st[last] = s;
    } else {
      dims.push(size);
      st.push(s);
    }
  }
  const r = dims.length;
  if (r <= 1) {
    // a no-op permutation of the data
    out.set(a);
    return be.output(result, shape, x!.dtype);
  }
  const oStr = rowMajor(dims);
  const q = r - 1;
  if (st[q] === 1) {
    // the innermost dim stays innermost: copy runs
    const n = dims[q]!;
    forEachIndex(dims.slice(0, q), [oStr.slice(0, q), st.slice(0, q)], (o, p) => {
      if (n >= SMALL_COPY) out.set(a.subarray(p, p + n), o);
      else for (let j = 0; j < n; j++) out[o + j] = a[p + j]!;
    });
    return be.output(result, shape, x!.dtype);
  }
  // the input's contiguous dim `p` moves outwards: copy square tiles of the (p, q) plane so that
  // both the reads along p and the writes along q stay within a few cache lines
  const p = st.indexOf(1);
  const P = dims[p]!;
  const Q = dims[q]!;
  const oP = oStr[p]!;
  const sQ = st[q]!;
  const rest = [...Array(r).keys()].filter((d) => d !== p && d !== q);
  forEachIndex(
    rest.map((d) => dims[d]!),
    [rest.map((d) => oStr[d]!), rest.map((d) => st[d]!)],
    (oBase, iBase) => {
      for (let i0 = 0; i0 < P; i0 += TILE) {
        const i1 = Math.min(P, i0 + TILE);
        for (let j0 = 0; j0 < Q; j0 += TILE) {
          const j1 = Math.min(Q, j0 + TILE);
          for (let i = i0; i < i1; i++) {
            const o = oBase + i * oP;
            const s = iBase + i;
            for (let j = j0; j < j1; j++) out[o + j] = a[s + j * sQ]!;
          }
        }
      }
    },
  );
  return be.output(result, shape, x!.dtype);
};

/** The elementwise kernels of the cpu backend. */
export const elementwiseKernels = { ...unaryKernels, ...binaryKernels, where, broadcastTo, cast, transpose } satisfies CpuKernels;
