/**
 * Movement kernels (every dtype, float16 included): transpose, slice, pad and concat, all as
 * strided copies of raw elements; reflect/edge padding uses per-dim index maps. Validation and
 * error messages follow the cpu backend.
 */
import { fmtShape, fromNumbers, sizeOf, type TensorInfo } from '@mapnn/core';
import { ALL, ELEMENT_BYTES } from '../dtype-codes.js';
import type { WasmBackend } from '../wasm-backend.js';
import { coalesce, contiguousStrides } from './plan.js';
import { wasmKernel } from './register.js';

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

function checkAxis(op: string, axis: number, rank: number): void {
  if (!Number.isInteger(axis) || axis < 0 || axis >= Math.max(rank, 1)) {
    throw new RangeError(`${op}: axis ${axis} is out of range for a tensor of rank ${rank}`);
  }
}
export { checkAxis };

wasmKernel(
  'transpose',
  ([x], attrs, be) => {
    const perm = attrs.perm as number[];
    const inStr = contiguousStrides(x!.shape);
    const shape = perm.map((p) => x!.shape[p]!);
    const out = be.alloc(shape, x!.dtype);
    stridedCopy(be, x!, be.ptr(x!), out.ptr, shape, perm.map((p) => inStr[p]!), contiguousStrides(shape));
    return be.output(out, shape, x!.dtype);
  },
  ALL,
);

wasmKernel(
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
    const inStr = contiguousStrides(shape);
    const n = sizeOf(size);
    let base = 0;
    if (n > 0) {
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
    }
    const out = be.alloc(size, x!.dtype);
    stridedCopy(be, x!, be.ptr(x!), out.ptr, size, inStr.map((v, d) => v * step[d]!), contiguousStrides(size), base);
    return be.output(out, size, x!.dtype);
  },
  ALL,
);

/** For each output index of a padded dim, the input index it reads (reflect / edge). */
function padMap(n: number, before: number, after: number, mode: string, dim: number): number[] {
  const len = before + n + after;
  if (n === 0 && len > 0) throw new Error(`pad: cannot ${mode}-pad dim ${dim} of size 0`);
  if (mode === 'reflect' && (before > n - 1 || after > n - 1)) {
    throw new RangeError(`pad: reflect padding (${before}, ${after}) of dim ${dim} must be smaller than its size ${n}`);
  }
  const m = new Array<number>(len);
  for (let p = 0; p < len; p++) {
    let i = p - before;
    if (mode === 'edge') i = i < 0 ? 0 : i >= n ? n - 1 : i;
    else if (i < 0) i = -i;
    else if (i >= n) i = 2 * (n - 1) - i;
    m[p] = i;
  }
  return m;
}

wasmKernel(
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
    const n = sizeOf(outShape);
    const es = ELEMENT_BYTES[x!.dtype];
    if (mode !== 'constant' && n > 0) {
      const inStr = contiguousStrides(shape);
      const maps = shape.map((len, d) => padMap(len, pads[2 * d]!, pads[2 * d + 1]!, mode, d).map((i) => i * inStr[d]!));
      const out = be.alloc(outShape, x!.dtype);
      const dims = rank === 0 ? [1] : outShape;
      const flat = rank === 0 ? [0] : maps.flat();
      const plan = be.plan(dims, []);
      be.run('padMapped', [es, be.ptr(x!), out.ptr, plan, be.ints(flat)], n);
      return be.output(out, outShape, x!.dtype);
    }
    const out = be.alloc(outShape, x!.dtype);
    if (n === 0) return be.output(out, outShape, x!.dtype);
    const value = fromNumbers([(attrs.value as number | undefined) ?? 0], x!.dtype);
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
  },
  ALL,
);

wasmKernel(
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
  },
  ALL,
);
