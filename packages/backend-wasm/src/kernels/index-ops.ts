/**
 * Index kernels: gather (torch.gather), indexSelect, scatter and scatterAdd. Indices (int32 or
 * int64) are range-checked here with the cpu backend's messages; the kernels then trust them.
 */
import { fmtShape, sizeOf, type DType, type TensorInfo, type TypedArray } from '@mapnn/core';
import { ALL, DTYPE_CODE, ELEMENT_BYTES, NUMERIC } from '../dtype-codes.js';
import type { WasmBackend } from '../wasm-backend.js';
import { checkAxis } from './movement.js';
import { coalesce, contiguousStrides } from './plan.js';
import { wasmKernel } from './register.js';

const INDEX_DTYPES: readonly DType[] = ['int32', 'int64'];

function outOfRange(op: string, index: number, axis: number, size: number): RangeError {
  const range = size > 0 ? `[0, ${size - 1}]` : 'none (the dimension is empty)';
  return new RangeError(`${op}: index ${index} is out of range for dim ${axis} of size ${size} (valid range ${range})`);
}

/** The index tensor's values (a view), after checking its dtype. */
function indexValues(op: string, info: TensorInfo, be: WasmBackend): TypedArray {
  if (!INDEX_DTYPES.includes(info.dtype)) {
    throw new TypeError(`${op}: index must be int32 or int64, got ${info.dtype} ${fmtShape(info.shape)}`);
  }
  return be.view(info);
}

/** Throws the first index outside [0, dim). */
function checkRange(op: string, idx: TypedArray, axis: number, dim: number): void {
  for (let i = 0; i < idx.length; i++) {
    const k = idx[i]!;
    if (!(k >= 0 && k < dim)) throw outOfRange(op, k, axis, dim);
  }
}

wasmKernel(
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
    const idx = indexValues('gather', index!, be);
    const n = sizeOf(is);
    if (n > 0) checkRange('gather', idx, axis, rank === 0 ? 1 : xs[axis]!);
    const out = be.alloc(is, x!.dtype);
    if (n === 0) return be.output(out, is, x!.dtype);
    const xStr = contiguousStrides(xs);
    const it = coalesce(rank === 0 ? [1] : is, [rank === 0 ? [0] : xStr.map((s, d) => (d === axis ? 0 : s))]);
    const plan = be.plan(it.dims, it.strides);
    const wide = index!.dtype === 'int64' ? 1 : 0;
    be.run('gather', [ELEMENT_BYTES[x!.dtype], wide, be.ptr(x!), be.ptr(index!), out.ptr, plan, rank === 0 ? 0 : xStr[axis]!], n);
    return be.output(out, is, x!.dtype);
  },
  ALL,
);

wasmKernel(
  'indexSelect',
  ([x, indices], attrs, be) => {
    const axis = attrs.axis as number;
    const xs = x!.shape;
    const rank = xs.length;
    checkAxis('indexSelect', axis, rank);
    if (indices!.shape.length > 1) {
      throw new Error(`indexSelect: indices must be 1-D, got ${fmtShape(indices!.shape)}`);
    }
    const idx = indexValues('indexSelect', indices!, be);
    const dim = rank === 0 ? 1 : xs[axis]!;
    checkRange('indexSelect', idx, axis, dim);
    const n = idx.length;
    const outShape = rank === 0 ? (indices!.shape.length ? [n] : []) : xs.map((d, i) => (i === axis ? n : d));
    const idxPtr = be.ints(idx); // before allocating: growth would detach a non-shared view
    const out = be.alloc(outShape, x!.dtype);
    if (sizeOf(outShape) === 0) return be.output(out, outShape, x!.dtype);
    const outer = rank === 0 ? 1 : sizeOf(xs.slice(0, axis));
    const inner = rank === 0 ? 1 : sizeOf(xs.slice(axis + 1));
    be.run('indexSelect', [ELEMENT_BYTES[x!.dtype], be.ptr(x!), idxPtr, out.ptr, outer, dim, inner, n], outer * n * inner);
    return be.output(out, outShape, x!.dtype);
  },
  ALL,
);

function scatterKernel(op: 'scatter' | 'scatterAdd', dtypes: readonly DType[]): void {
  wasmKernel(
    op,
    ([x, index, src], attrs, be) => {
      const axis = attrs.axis as number;
      const xs = x!.shape;
      const is = index!.shape;
      const ss = src!.shape;
      const rank = xs.length;
      checkAxis(op, axis, rank);
      if (is.length !== rank || ss.length !== rank || is.some((d, i) => d > ss[i]! || (i !== axis && d > xs[i]!))) {
        throw new Error(
          `${op}: index ${fmtShape(is)} must have the rank of x ${fmtShape(xs)} and src ${fmtShape(ss)}, ` +
            `with dims no larger than src's, nor than x's except along axis ${axis}`,
        );
      }
      if (src!.dtype !== x!.dtype) throw new TypeError(`${op}: src dtype ${src!.dtype} must match x dtype ${x!.dtype}`);
      const idx = indexValues(op, index!, be);
      const n = sizeOf(is);
      if (n > 0) checkRange(op, idx, axis, rank === 0 ? 1 : xs[axis]!);
      const xd = be.data(x!.dataId);
      const out = be.alloc(xs, x!.dtype);
      be.copyBytes(xd.ptr, out.ptr, xd.bytes);
      if (n === 0) return be.output(out, xs, x!.dtype);
      const xStr = contiguousStrides(xs);
      const it = coalesce(rank === 0 ? [1] : is, rank === 0 ? [[0], [0]] : [xStr.map((s, d) => (d === axis ? 0 : s)), contiguousStrides(ss)]);
      const plan = be.plan(it.dims, it.strides);
      const wide = index!.dtype === 'int64' ? 1 : 0;
      be.run(
        'scatter',
        [DTYPE_CODE[x!.dtype], ELEMENT_BYTES[x!.dtype], op === 'scatterAdd' ? 1 : 0, wide, out.ptr, be.ptr(index!), be.ptr(src!), plan, rank === 0 ? 0 : xStr[axis]!],
        0,
        1,
      );
      return be.output(out, xs, x!.dtype);
    },
    dtypes,
  );
}
scatterKernel('scatter', ALL);
// float16 adds in float32 (core casts around kernels without a float16 entry)
scatterKernel('scatterAdd', NUMERIC);
