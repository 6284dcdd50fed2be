// CPU kernels: movement (see docs/kernels-and-ops.md for the contract).
// Movement kernels copy raw storage, so they serve every dtype including float16 (stored as
// bits); only `scatterAdd` does arithmetic and leaves float16 to core's float32 fallback.
import { fmtShape, fromNumbers, sizeOf, stridesOf, type DType, type TensorInfo, type TypedArray } from '@mapnn/core';
import type { CpuBackend } from '../cpu-backend.js';
import { cpuKernel, NUMERIC } from './register.js';

const ALL: readonly DType[] = [...NUMERIC, 'float16'];
const INDEX_DTYPES: readonly DType[] = ['int32', 'int64'];

/** Below this many elements a plain loop beats `subarray` + `set`. */
const SMALL_COPY = 16;

function copyRun(src: TypedArray, from: number, dst: TypedArray, to: number, n: number): void {
  if (n < SMALL_COPY) {
    for (let j = 0; j < n; j++) dst[to + j] = src[from + j]!;
  } else {
    dst.set(src.subarray(from, from + n), to);
  }
}

function outOfRange(op: string, index: number, axis: number, size: number): RangeError {
  const range = size > 0 ? `[0, ${size - 1}]` : 'none (the dimension is empty)';
  return new RangeError(`${op}: index ${index} is out of range for dim ${axis} of size ${size} (valid range ${range})`);
}

/** Storage of an index input (int32 or int64, the latter integral float64), checked. */
function indexData(op: string, info: TensorInfo, be: CpuBackend): TypedArray {
  if (!INDEX_DTYPES.includes(info.dtype)) {
    throw new TypeError(`${op}: index must be int32 or int64, got ${info.dtype} ${fmtShape(info.shape)}`);
  }
  return be.get(info.dataId);
}

function checkAxis(op: string, axis: number, rank: number): void {
  if (!Number.isInteger(axis) || axis < 0 || axis >= Math.max(rank, 1)) {
    throw new RangeError(`${op}: axis ${axis} is out of range for a tensor of rank ${rank}`);
  }
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
cpuKernel(
  'slice',
  ([x], attrs, be) => {
    const begin = attrs.begin as number[];
    const size = attrs.size as number[];
    const step = (attrs.step as number[] | undefined) ?? size.map(() => 1);
    const shape = x!.shape;
    const rank = shape.length;
    if (begin.length !== rank || size.length !== rank || step.length !== rank) {
      throw new Error(
        `slice: begin [${begin}], size [${size}] and step [${step}] must each have one entry per dim of ${fmtShape(shape)}`,
      );
    }
    const a = be.get(x!.dataId);
    const out = be.alloc(size, x!.dtype);
    if (out.length === 0) return be.output(out, size, x!.dtype);
    const inStr = stridesOf(shape);
    let base = 0;
    for (let d = 0; d < rank; d++) {
      const b = begin[d]!;
      const s = step[d]!;
      const endIdx = b + (size[d]! - 1) * s;
      if (!Number.isInteger(s) || s === 0) throw new Error(`slice: step ${s} of dim ${d} must be a non-zero integer`);
      if (size[d]! < 0 || b < 0 || b >= shape[d]! || endIdx < 0 || endIdx >= shape[d]!) {
        throw new RangeError(
          `slice: dim ${d} of ${fmtShape(shape)}: begin ${b}, size ${size[d]}, step ${s} reads outside [0, ${shape[d]! - 1}]`,
        );
      }
      base += b * inStr[d]!;
    }
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
  },
  ALL,
);

// ---- pad: pads = [before0, after0, before1, after1, …] in dim order
/** For each output coordinate of a padded dim, the input coordinate it reads (reflect / edge). */
function padMap(n: number, before: number, after: number, mode: string, dim: number): Int32Array {
  const m = new Int32Array(before + n + after);
  if (n === 0 && m.length > 0) throw new Error(`pad: cannot ${mode}-pad dim ${dim} of size 0`);
  if (mode === 'reflect' && (before > n - 1 || after > n - 1)) {
    throw new RangeError(`pad: reflect padding (${before}, ${after}) of dim ${dim} must be smaller than its size ${n}`);
  }
  for (let p = 0; p < m.length; p++) {
    let i = p - before;
    if (mode === 'edge') i = i < 0 ? 0 : i >= n ? n - 1 : i;
    else if (i < 0) i = -i;
    else if (i >= n) i = 2 * (n - 1) - i;
    m[p] = i;
  }
  return m;
}

cpuKernel(
  'pad',
  ([x], attrs, be) => {
    const pads = attrs.pads as number[];
    const mode = (attrs.mode as string | undefined) ?? 'constant';
    const shape = x!.shape;
    const rank = shape.length;
    if (pads.length !== 2 * rank || pads.some((p) => !Number.isInteger(p) || p < 0)) {
      throw new Error(`pad: pads [${pads}] must be ${2 * rank} non-negative integers for ${fmtShape(shape)}`);
    }
    if (mode !== 'constant' && mode !== 'reflect' && mode !== 'edge') {
      throw new Error(`pad: unknown mode '${mode}' (expected constant, reflect or edge)`);
    }
    const outShape = shape.map((d, i) => d + pads[2 * i]! + pads[2 * i + 1]!);
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
      const v = fromNumbers([(attrs.value as number | undefined) ?? 0], x!.dtype)[0]!;
      if (v !== 0) out.fill(v);
      if (a.length === 0) return be.output(out, outShape, x!.dtype);
      let shift = 0;
      for (let d = 0; d < rank; d++) shift += pads[2 * d]! * outStr[d]!;
      const lastN = shape[last]!;
      forEachRow(shape, [outStr], (o, offs) => copyRun(a, o, out, shift + offs[0]!, lastN));
      return be.output(out, outShape, x!.dtype);
    }
    const inStr = stridesOf(shape);
    const maps = shape.map((n, d) => padMap(n, pads[2 * d]!, pads[2 * d + 1]!, mode, d));
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
  },
  ALL,
);

// ---- concat along `axis`
cpuKernel(
  'concat',
  (xs, attrs, be) => {
    const axis = attrs.axis as number;
    const first = xs[0];
    if (!first) throw new Error('concat: needs at least one input');
    const rank = first.shape.length;
    checkAxis('concat', axis, rank);
    let total = 0;
    for (const t of xs) {
      const ok = t.shape.length === rank && t.shape.every((d, i) => i === axis || d === first.shape[i]);
      if (!ok || t.dtype !== first.dtype) {
        throw new Error(
          `concat: inputs must share dtype and all dims but axis ${axis}; got ${xs.map((u) => `${fmtShape(u.shape)} ${u.dtype}`).join(', ')}`,
        );
      }
      total += t.shape[axis]!;
    }
    const outShape = first.shape.map((d, i) => (i === axis ? total : d));
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
  },
  ALL,
);

// ---- gather (torch.gather): out[..i..] = x[..index[..i..]..] along axis
cpuKernel(
  'gather',
  ([x, index], attrs, be) => {
    const axis = attrs.axis as number;
    const xs = x!.shape;
    const is = index!.shape;
    const rank = xs.length;
    checkAxis('gather', axis, rank);
    if (is.length !== rank || is.some((d, i) => i !== axis && d > xs[i]!)) {
      throw new Error(
        `gather: index ${fmtShape(is)} must have the rank of x ${fmtShape(xs)} and no larger dims except axis ${axis}`,
      );
    }
    const a = be.get(x!.dataId);
    const idx = indexData('gather', index!, be);
    const out = be.alloc(is, x!.dtype);
    if (out.length === 0) return be.output(out, is, x!.dtype);
    const dim = rank === 0 ? 1 : xs[axis]!;
    if (rank === 0) {
      const k = idx[0]!;
      if (k !== 0) throw outOfRange('gather', k, axis, 1);
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
        if (!(k >= 0 && k < dim)) throw outOfRange('gather', k, axis, dim);
        out[o + j] = a[base + (axisLast ? k : j + k * axStr)]!;
      }
    });
    return be.output(out, is, x!.dtype);
  },
  ALL,
);

// ---- indexSelect: x with `axis` resized to len(indices)
cpuKernel(
  'indexSelect',
  ([x, indices], attrs, be) => {
    const axis = attrs.axis as number;
    const xs = x!.shape;
    const rank = xs.length;
    checkAxis('indexSelect', axis, rank);
    if (indices!.shape.length > 1) {
      throw new Error(`indexSelect: indices must be 1-D, got ${fmtShape(indices!.shape)}`);
    }
    const idx = indexData('indexSelect', indices!, be);
    const dim = rank === 0 ? 1 : xs[axis]!;
    for (let t = 0; t < idx.length; t++) {
      const k = idx[t]!;
      if (!(k >= 0 && k < dim)) throw outOfRange('indexSelect', k, axis, dim);
    }
    const n = idx.length;
    const outShape = rank === 0 ? (indices!.shape.length ? [n] : []) : xs.map((d, i) => (i === axis ? n : d));
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
  },
  ALL,
);

// ---- scatter / scatterAdd: copy of x with out[..index[..i..]..] (=|+=) src[..i..]
function scatterKernel(op: 'scatter' | 'scatterAdd', dtypes: readonly DType[]): void {
  cpuKernel(
    op,
    ([x, index, src], attrs, be) => {
      const axis = attrs.axis as number;
      const xs = x!.shape;
      const is = index!.shape;
      const ss = src!.shape;
      const rank = xs.length;
      checkAxis(op, axis, rank);
      if (
        is.length !== rank ||
        ss.length !== rank ||
        is.some((d, i) => d > ss[i]! || (i !== axis && d > xs[i]!))
      ) {
        throw new Error(
          `${op}: index ${fmtShape(is)} must have the rank of x ${fmtShape(xs)} and src ${fmtShape(ss)}, ` +
            `with dims no larger than src's, nor than x's except along axis ${axis}`,
        );
      }
      if (src!.dtype !== x!.dtype) throw new TypeError(`${op}: src dtype ${src!.dtype} must match x dtype ${x!.dtype}`);
      const idx = indexData(op, index!, be);
      const s = be.get(src!.dataId);
      const out = be.get(x!.dataId).slice();
      if (idx.length === 0) return be.output(out, xs, x!.dtype);
      const dim = rank === 0 ? 1 : xs[axis]!;
      const add = op === 'scatterAdd';
      const isBool = x!.dtype === 'bool';
      if (rank === 0) {
        const k = idx[0]!;
        if (k !== 0) throw outOfRange(op, k, axis, 1);
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
          if (!(k >= 0 && k < dim)) throw outOfRange(op, k, axis, dim);
          const dst = base + (axisLast ? k : j + k * axStr);
          const v = s[sBase + j]!;
          if (!add) out[dst] = v;
          else if (isBool) out[dst] = out[dst]! || v ? 1 : 0;
          else out[dst] = out[dst]! + v;
        }
      });
      return be.output(out, xs, x!.dtype);
    },
    dtypes,
  );
}
scatterKernel('scatter', ALL);
// float16 adds in float32 (core casts around kernels without a float16 entry)
scatterKernel('scatterAdd', NUMERIC);
