/**
 * Index kernels: gather (torch.gather), indexSelect, scatter and scatterAdd. Indices (int32 or
 * int64) are range-checked here with the cpu backend's messages; the kernels then trust them.
 */
import {
  checkGatherShapes,
  checkIndexDType,
  checkIndexRange,
  checkScatterArgs,
  indexSelectShape,
  sizeOf,
  type TensorInfo,
  type TypedArray,
} from '@mapnn/core/backend';
import { DTYPE_CODE, ELEMENT_BYTES } from '../dtype-codes.js';
import type { WasmBackend } from '../wasm-backend.js';
import { coalesce, contiguousStrides } from './plan.js';
import type { WasmKernel, WasmKernels } from './register.js';

/** The index tensor's values (a view), after checking its dtype. */
function indexValues(op: string, info: TensorInfo, be: WasmBackend): TypedArray {
  checkIndexDType(op, info);
  return be.view(info);
}

const gather: WasmKernel<'gather'> = ([x, index], attrs, be) => {
  const axis = attrs.axis;
  const xs = x!.shape;
  const is = index!.shape;
  const rank = xs.length;
  checkGatherShapes(xs, is, axis);
  const idx = indexValues('gather', index!, be);
  const n = sizeOf(is);
  if (n > 0) checkIndexRange('gather', idx, axis, rank === 0 ? 1 : xs[axis]!);
  const out = be.alloc(is, x!.dtype);
  if (n === 0) return be.output(out, is, x!.dtype);
  const xStr = contiguousStrides(xs);
  const it = coalesce(rank === 0 ? [1] : is, [rank === 0 ? [0] : xStr.map((s, d) => (d === axis ? 0 : s))]);
  const plan = be.plan(it.dims, it.strides);
  const wide = index!.dtype === 'int64' ? 1 : 0;
  be.run('gather', [ELEMENT_BYTES[x!.dtype], wide, be.ptr(x!), be.ptr(index!), out.ptr, plan, rank === 0 ? 0 : xStr[axis]!], n);
  return be.output(out, is, x!.dtype);
};

const indexSelect: WasmKernel<'indexSelect'> = ([x, indices], attrs, be) => {
  const axis = attrs.axis;
  const xs = x!.shape;
  const rank = xs.length;
  const outShape = indexSelectShape(xs, indices!.shape, axis);
  const idx = indexValues('indexSelect', indices!, be);
  const dim = rank === 0 ? 1 : xs[axis]!;
  checkIndexRange('indexSelect', idx, axis, dim);
  const n = idx.length;
  const idxPtr = be.ints(idx); // before allocating: growth would detach a non-shared view
  const out = be.alloc(outShape, x!.dtype);
  if (sizeOf(outShape) === 0) return be.output(out, outShape, x!.dtype);
  const outer = rank === 0 ? 1 : sizeOf(xs.slice(0, axis));
  const inner = rank === 0 ? 1 : sizeOf(xs.slice(axis + 1));
  be.run('indexSelect', [ELEMENT_BYTES[x!.dtype], be.ptr(x!), idxPtr, out.ptr, outer, dim, inner, n], outer * n * inner);
  return be.output(out, outShape, x!.dtype);
};

/** scatter, or scatterAdd (whose table dtypes leave float16 to core: it adds in float32). */
function scatterKernel(op: 'scatter' | 'scatterAdd'): WasmKernel<'scatter'> { // both take AxisAttrs
  return ([x, index, src], attrs, be) => {
    const axis = attrs.axis;
    const xs = x!.shape;
    const is = index!.shape;
    const ss = src!.shape;
    const rank = xs.length;
    checkScatterArgs(op, x!, is, src!, axis);
    const idx = indexValues(op, index!, be);
    const n = sizeOf(is);
    if (n > 0) checkIndexRange(op, idx, axis, rank === 0 ? 1 : xs[axis]!);
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
  };
}

export const indexKernels = {
  gather,
  indexSelect,
  scatter: scatterKernel('scatter'),
  scatterAdd: scatterKernel('scatterAdd'),
} satisfies WasmKernels;
