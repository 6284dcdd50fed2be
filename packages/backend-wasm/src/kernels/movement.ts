/**
 * Movement kernels (every dtype, float16 included): transpose, slice, pad and concat, all as
 * strided copies of raw elements; reflect/edge padding uses per-dim index maps. Validation and
 * error messages follow the cpu backend.
 */
import { concatShape, fromNumbers, padAttrs, padSourceMap, sizeOf, sliceAttrs, sliceOffset, type TensorInfo } from '@mapnn/core/backend';
import { ELEMENT_BYTES } from '../dtype-codes.js';
import type { WasmBackend } from '../wasm-backend.js';
import { coalesce, contiguousStrides } from './plan.js';
import type { WasmKernel, WasmKernels } from './register.js';

/** dst[dstBase + i·dstStrides] = src[srcBase + i·srcStrides] over `dims`. */
export function stridedCopy(
  be: WasmBackend, x: TensorInfo, srcPtr: number, dstPtr: number,
  dims: readonly number[], srcStrides: readonly number[], dstStrides: readonly number[], srcBase = 0, dstBase = 0,
): void {
  const n = sizeOf(dims);
  if (n === 0) return;
  const it = coalesce(dims, [srcStrides, dstStrides]);
  const plan = be.plan(it.dims, it.strides);
  be.run('copyStrided', [ELEMENT_BYTES[x.dtype], srcPtr, dstPtr, plan, srcBase, dstBase], n);
}

const transpose: WasmKernel<'transpose'> = ([x], attrs, be) => {
  const perm = attrs.perm;
  const inStr = contiguousStrides(x!.shape);
  const shape = perm.map((p) => x!.shape[p]!);
  const out = be.alloc(shape, x!.dtype);
  stridedCopy(be, x!, be.ptr(x!), out.ptr, shape, perm.map((p) => inStr[p]!), contiguousStrides(shape));
  return be.output(out, shape, x!.dtype);
};

const slice: WasmKernel<'slice'> = ([x], attrs, be) => {
  const shape = x!.shape;
  const spec = sliceAttrs(attrs, shape);
  const { size, step } = spec;
  const inStr = contiguousStrides(shape);
  const base = sizeOf(size) > 0 ? sliceOffset(shape, spec, inStr) : 0;
  const out = be.alloc(size, x!.dtype);
  stridedCopy(be, x!, be.ptr(x!), out.ptr, size, inStr.map((v, d) => v * step[d]!), contiguousStrides(size), base);
  return be.output(out, size, x!.dtype);
};

const pad: WasmKernel<'pad'> = ([x], attrs, be) => {
  const shape = x!.shape;
  const rank = shape.length;
  const { pads, mode, outShape } = padAttrs(attrs, shape);
  const n = sizeOf(outShape);
  const es = ELEMENT_BYTES[x!.dtype];
  if (mode !== 'constant' && n > 0) {
    const inStr = contiguousStrides(shape);
    const maps = shape.map((len, d) => Array.from(padSourceMap(len, pads[2 * d]!, pads[2 * d + 1]!, mode, d), (i) => i * inStr[d]!));
    const out = be.alloc(outShape, x!.dtype);
    const dims = rank === 0 ? [1] : outShape;
    const flat = rank === 0 ? [0] : maps.flat();
    const plan = be.plan(dims, []);
    be.run('padMapped', [es, be.ptr(x!), out.ptr, plan, be.ints(flat)], n);
    return be.output(out, outShape, x!.dtype);
  }
  const out = be.alloc(outShape, x!.dtype);
  if (n === 0) return be.output(out, outShape, x!.dtype);
  const value = fromNumbers([attrs.value ?? 0], x!.dtype);
  const bytes = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (bytes.every((b) => b === 0)) be.zeroBytes(out.ptr, n * es);
  else {
    const at = be.ints([0, 0]); // 8 bytes of scratch in the argument area
    new Uint8Array(be.wasmMemory.buffer, at, es).set(bytes);
    be.run('fill', [es, out.ptr, n, at], n);
  }
  const outStr = contiguousStrides(outShape);
  let shift = 0;
  for (let d = 0; d < rank; d++) shift += pads[2 * d]! * outStr[d]!;
  stridedCopy(be, x!, be.ptr(x!), out.ptr, shape, contiguousStrides(shape), outStr, 0, shift);
  return be.output(out, outShape, x!.dtype);
};

const concat: WasmKernel<'concat'> = (xs, attrs, be) => {
  const axis = attrs.axis;
  const { outShape, total } = concatShape(xs, axis);
  const first = xs[0]!;
  const out = be.alloc(outShape, first.dtype);
  if (sizeOf(outShape) === 0) return be.output(out, outShape, first.dtype);
  const outer = sizeOf(first.shape.slice(0, axis));
  const innerUnit = sizeOf(first.shape.slice(axis + 1));
  const totalRun = total * innerUnit;
  let pos = 0;
  for (const t of xs) {
    const run = t.shape[axis]! * innerUnit;
    stridedCopy(be, t, be.ptr(t), out.ptr, [outer, run], [run, 1], [totalRun, 1], 0, pos);
    pos += run;
  }
  return be.output(out, outShape, first.dtype);
};

export const movementKernels = { transpose, slice, pad, concat } satisfies WasmKernels;
