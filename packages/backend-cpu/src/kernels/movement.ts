// CPU kernels: movement (see docs/kernels-and-ops.md for the contract).
// Movement kernels copy raw storage, so they serve every dtype including float16 (stored as
// bits); only `scatterAdd` does arithmetic and leaves float16 to core's float32 fallback.
import {
  checkGatherShapes,
  checkIndexDType,
  checkIndexRange,
  checkScatterArgs,
  concatShape,
  fromNumbers,
  indexOutOfRange,
  indexSelectShape,
  padAttrs,
  padSourceMap,
  sizeOf,
  sliceAttrs,
  sliceOffset,
  stridesOf,
  type TensorInfo,
  type TypedArray,
} from '@mapnn/core/backend';
import type { CpuBackend } from '../cpu-backend.js';
import type { CpuKernel, CpuKernels } from './register.js';

/** Below this many elements a plain loop beats `subarray` + `set`. */
const SMALL_COPY = 16;

function copyRun(src: TypedArray, from: number, dst: TypedArray, to: number, n: number): void {
  if (n < SMALL_COPY) {
    for (let j = 0; j < n; j++) dst[to + j] = src[from + j]!;
  } else {
    dst.set(src.subarray(from, from + n), to);
  }
}

/** Storage of an index input (int32 or int64, the latter integral float64), checked. */
function indexData(op: string, info: TensorInfo, be: CpuBackend): TypedArray {
  checkIndexDType(op, info);
  return be.get(info.dataId);
}

/**
 * Visits the rows (all dims but the last) of a row-major `shape`, calling `row(o, offs)` with the
 * flat start of the row and, for each stride set in `strides`, the offset of the row's start
 * (Σ idx[d]·strides[k][d] over the leading dims).
 */
function forEachRow(
  shape: readonly number[],
  strides: readonly (readonly number[])[],
  row: (o: number, offs: readonly number[]) => void,
): void {
  const rank = shape.length;
  const n = sizeOf(shape);
  if (n === 0) return;
  if (rank === 0) {
    row(0, strides.map(() => 0));
    return;
  }
  const last = rank - 1;
  const lastN = shape[last]!;
  const idx = new Array<number>(rank).fill(0);
  const offs = strides.map(() => 0);
  for (let o = 0; o < n; o += lastN) {
    row(o, offs);
    for (let d = last - 1; d >= 0; d--) {
      idx[d]!++;
      for (let k = 0; k < offs.length; k++) offs[k]! += strides[k]![d]!;
      if (idx[d]! < shape[d]!) break;
      for (let k = 0; k < offs.length; k++) offs[k]! -= strides[k]![d]! * shape[d]!;
      idx[d] = 0;
    }
  }
}

// ---- slice: out[i] = x[begin + i·step] per dim
const slice: CpuKernel<'slice'> = ([x], attrs, be) => {
  const shape = x!.shape;
  const rank = shape.length;
  const spec = sliceAttrs(attrs, shape);
  const { size, step } = spec;
  const a = be.get(x!.dataId);
  const out = be.alloc(size, x!.dtype);
  if (out.length === 0) return be.output(out, size, x!.dtype);
  const inStr = stridesOf(shape);
  const base = sliceOffset(shape, spec, inStr);
  if (rank === 0) {
    out[0] = a[0]!;
    return be.output(out, size, x!.dtype);
  }
  const st = inStr.map((v, d) => v * step[d]!);
  const last = rank - 1;
  const lastN = size[last]!;
  const lastS = st[last]!;
  forEachRow(size, [st], (o, offs) => {
    const off = base + offs[0]!;
    if (lastS === 1) copyRun(a, off, out, o, lastN);
    else for (let j = 0; j < lastN; j++) out[o + j] = a[off + j * lastS]!;
  });
  return be.output(out, size, x!.dtype);
};

// ---- pad: pads = [before0, after0, before1, after1, …] in dim order
const pad: CpuKernel<'pad'> = ([x], attrs, be) => {
  const shape = x!.shape;
  const rank = shape.length;
  const { pads, mode, outShape } = padAttrs(attrs, shape);
  const a = be.get(x!.dataId);
  const out = be.alloc(outShape, x!.dtype);
  if (out.length === 0) return be.output(out, outShape, x!.dtype);
  if (rank === 0) {
    out[0] = a[0]!;
    return be.output(out, outShape, x!.dtype);
  }
  const outStr = stridesOf(outShape);
  const last = rank - 1;
  if (mode === 'constant') {
    const v = fromNumbers([attrs.value ?? 0], x!.dtype)[0]!;
    if (v !== 0) out.fill(v);
    if (a.length === 0) return be.output(out, outShape, x!.dtype);
    let shift = 0;
    for (let d = 0; d < rank; d++) shift += pads[2 * d]! * outStr[d]!;
    const lastN = shape[last]!;
    forEachRow(shape, [outStr], (o, offs) => copyRun(a, o, out, shift + offs[0]!, lastN));
    return be.output(out, outShape, x!.dtype);
  }
  const inStr = stridesOf(shape);
  const maps = shape.map((n, d) => padSourceMap(n, pads[2 * d]!, pads[2 * d + 1]!, mode, d));
  const lastMap = maps[last]!;
  const lastN = outShape[last]!;
  const idx = new Array<number>(rank).fill(0);
  for (let o = 0; o < out.length; o += lastN) {
    let off = 0;
    for (let d = 0; d < last; d++) off += maps[d]![idx[d]!]! * inStr[d]!;
    for (let j = 0; j < lastN; j++) out[o + j] = a[off + lastMap[j]!]!;
    for (let d = last - 1; d >= 0; d--) {
      if (++idx[d]! < outShape[d]!) break;
      idx[d] = 0;
    }
  }
  return be.output(out, outShape, x!.dtype);
};

// ---- concat along `axis`
const concat: CpuKernel<'concat'> = (xs, attrs, be) => {
  const axis = attrs.axis;
  const { outShape } = concatShape(xs, axis);
  const first = xs[0]!;
  const out = be.alloc(outShape, first.dtype);
  if (out.length === 0) return be.output(out, outShape, first.dtype);
  const outer = sizeOf(first.shape.slice(0, axis));
  const innerUnit = sizeOf(first.shape.slice(axis + 1));
  const arrays = xs.map((t) => be.get(t.dataId));
  const runs = xs.map((t) => t.shape[axis]! * innerUnit);
  let pos = 0;
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < arrays.length; k++) {
      const n = runs[k]!;
      copyRun(arrays[k]!, o * n, out, pos, n);
      pos += n;
    }
  }
  return be.output(out, outShape, first.dtype);
};

// ---- gather (torch.gather): out[..i..] = x[..index[..i..]..] along axis
const gather: CpuKernel<'gather'> = ([x, index], attrs, be) => {
  const axis = attrs.axis;
  const xs = x!.shape;
  const is = index!.shape;
  const rank = xs.length;
  checkGatherShapes(xs, is, axis);
  const a = be.get(x!.dataId);
  const idx = indexData('gather', index!, be);
  const out = be.alloc(is, x!.dtype);
  if (out.length === 0) return be.output(out, is, x!.dtype);
  const dim = rank === 0 ? 1 : xs[axis]!;
  if (rank === 0) {
    const k = idx[0]!;
    if (k !== 0) throw indexOutOfRange('gather', k, axis, 1);
    out[0] = a[0]!;
    return be.output(out, is, x!.dtype);
  }
  const xStr = stridesOf(xs);
  const axStr = xStr[axis]!;
  const rowStr = xStr.map((s, d) => (d === axis ? 0 : s));
  const last = rank - 1;
  const lastN = is[last]!;
  const axisLast = axis === last;
  forEachRow(is, [rowStr], (o, offs) => {
    const base = offs[0]!;
    for (let j = 0; j < lastN; j++) {
      const k = idx[o + j]!;
      if (!(k >= 0 && k < dim)) throw indexOutOfRange('gather', k, axis, dim);
      out[o + j] = a[base + (axisLast ? k : j + k * axStr)]!;
    }
  });
  return be.output(out, is, x!.dtype);
};

// ---- indexSelect: x with `axis` resized to len(indices)
const indexSelect: CpuKernel<'indexSelect'> = ([x, indices], attrs, be) => {
  const axis = attrs.axis;
  const xs = x!.shape;
  const rank = xs.length;
  const outShape = indexSelectShape(xs, indices!.shape, axis);
  const idx = indexData('indexSelect', indices!, be);
  const dim = rank === 0 ? 1 : xs[axis]!;
  checkIndexRange('indexSelect', idx, axis, dim);
  const n = idx.length;
  const a = be.get(x!.dataId);
  const out = be.alloc(outShape, x!.dtype);
  if (out.length === 0) return be.output(out, outShape, x!.dtype);
  if (rank === 0) {
    out.fill(a[0]!);
    return be.output(out, outShape, x!.dtype);
  }
  const outer = sizeOf(xs.slice(0, axis));
  const inner = sizeOf(xs.slice(axis + 1));
  let pos = 0;
  if (inner === 1) {
    for (let o = 0; o < outer; o++) {
      const base = o * dim;
      for (let t = 0; t < n; t++) out[pos++] = a[base + idx[t]!]!;
    }
  } else {
    for (let o = 0; o < outer; o++) {
      const base = o * dim;
      for (let t = 0; t < n; t++) {
        copyRun(a, (base + idx[t]!) * inner, out, pos, inner);
        pos += inner;
      }
    }
  }
  return be.output(out, outShape, x!.dtype);
};

// ---- scatter / scatterAdd: copy of x with out[..index[..i..]..] (=|+=) src[..i..]
function scatterKernel(op: 'scatter' | 'scatterAdd'): CpuKernel<'scatter'> { // both take AxisAttrs
  return ([x, index, src], attrs, be) => {
    const axis = attrs.axis;
    const xs = x!.shape;
    const is = index!.shape;
    const ss = src!.shape;
    const rank = xs.length;
    checkScatterArgs(op, x!, is, src!, axis);
    const idx = indexData(op, index!, be);
    const s = be.get(src!.dataId);
    const out = be.get(x!.dataId).slice();
    if (idx.length === 0) return be.output(out, xs, x!.dtype);
    const dim = rank === 0 ? 1 : xs[axis]!;
    const add = op === 'scatterAdd';
    const isBool = x!.dtype === 'bool';
    if (rank === 0) {
      const k = idx[0]!;
      if (k !== 0) throw indexOutOfRange(op, k, axis, 1);
      out[0] = add ? (isBool ? (out[0]! || s[0]! ? 1 : 0) : out[0]! + s[0]!) : s[0]!;
      return be.output(out, xs, x!.dtype);
    }
    const xStr = stridesOf(xs);
    const axStr = xStr[axis]!;
    const rowStr = xStr.map((v, d) => (d === axis ? 0 : v));
    const sStr = stridesOf(ss);
    const last = rank - 1;
    const lastN = is[last]!;
    const axisLast = axis === last;
    forEachRow(is, [rowStr, sStr], (o, offs) => {
      const base = offs[0]!;
      const sBase = offs[1]!;
      for (let j = 0; j < lastN; j++) {
        const k = idx[o + j]!;
        if (!(k >= 0 && k < dim)) throw indexOutOfRange(op, k, axis, dim);
        const dst = base + (axisLast ? k : j + k * axStr);
        const v = s[sBase + j]!;
        if (!add) out[dst] = v;
        else if (isBool) out[dst] = out[dst]! || v ? 1 : 0;
        else out[dst] = out[dst]! + v;
      }
    });
    return be.output(out, xs, x!.dtype);
  };
}

/**
 * The movement kernels of the cpu backend; `scatterAdd` adds float16 in float32 (core casts
 * around kernels without a float16 entry, as the spec table's dtypes for it leave float16 out).
 */
export const movementKernels = {
  slice,
  pad,
  concat,
  gather,
  indexSelect,
  scatter: scatterKernel('scatter'),
  scatterAdd: scatterKernel('scatterAdd'),
} satisfies CpuKernels;
