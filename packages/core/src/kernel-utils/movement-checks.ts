// Kernel utilities: the attribute checks of the movement kernels (`slice pad concat`), with the
// error messages every backend throws.
import type { KernelAttrs } from '../backend.js';
import type { DType } from '../dtypes.js';
import { fmtShape, type Shape } from '../shape.js';
import { checkAxis } from './index-checks.js';

/** The `slice` kernel's attrs, one entry per dim: out[i] = x[begin + i·step]. */
export interface SliceAttrs {
  begin: number[];
  size: number[];
  step: number[];
}

/** The `slice` attrs (`step` defaults to 1s), checked to have one entry per dim of `shape`. */
export function sliceAttrs(attrs: KernelAttrs, shape: Shape): SliceAttrs {
  const begin = attrs.begin as number[];
  const size = attrs.size as number[];
  const step = (attrs.step as number[] | undefined) ?? size.map(() => 1);
  const rank = shape.length;
  if (begin.length !== rank || size.length !== rank || step.length !== rank) {
    throw new Error(`slice: begin [${begin}], size [${size}] and step [${step}] must each have one entry per dim of ${fmtShape(shape)}`);
  }
  return { begin, size, step };
}

/**
 * The flat offset (Σ begin[d]·strides[d]) of the first element a non-empty `slice` reads;
 * throws unless every step is a non-zero integer and every dim reads inside the input.
 */
export function sliceOffset(shape: Shape, { begin, size, step }: SliceAttrs, strides: readonly number[]): number {
  let base = 0;
  for (let d = 0; d < shape.length; d++) {
    const b = begin[d]!;
    const s = step[d]!;
    const endIdx = b + (size[d]! - 1) * s;
    if (!Number.isInteger(s) || s === 0) throw new Error(`slice: step ${s} of dim ${d} must be a non-zero integer`);
    if (size[d]! < 0 || b < 0 || b >= shape[d]! || endIdx < 0 || endIdx >= shape[d]!) {
      throw new RangeError(`slice: dim ${d} of ${fmtShape(shape)}: begin ${b}, size ${size[d]}, step ${s} reads outside [0, ${shape[d]! - 1}]`);
    }
    base += b * strides[d]!;
  }
  return base;
}

/** The `pad` kernel's attrs: pads = [before0, after0, before1, after1, …] in dim order. */
export interface PadAttrs {
  pads: number[];
  mode: 'constant' | 'reflect' | 'edge';
  outShape: number[];
}

/** The `pad` attrs (mode defaults to 'constant'), checked against `shape`, and the output shape. */
export function padAttrs(attrs: KernelAttrs, shape: Shape): PadAttrs {
  const pads = attrs.pads as number[];
  const mode = (attrs.mode as string | undefined) ?? 'constant';
  const rank = shape.length;
  if (pads.length !== 2 * rank || pads.some((p) => !Number.isInteger(p) || p < 0)) {
    throw new Error(`pad: pads [${pads}] must be ${2 * rank} non-negative integers for ${fmtShape(shape)}`);
  }
  if (mode !== 'constant' && mode !== 'reflect' && mode !== 'edge') {
    throw new Error(`pad: unknown mode '${mode}' (expected constant, reflect or edge)`);
  }
  const outShape = shape.map((d, i) => d + pads[2 * i]! + pads[2 * i + 1]!);
  return { pads, mode, outShape };
}

/** Throws unless dim `dim` (size `n`) can be padded by `before`/`after` in a 'reflect' or 'edge' `mode`. */
export function checkPadDim(n: number, before: number, after: number, mode: string, dim: number): void {
  if (n === 0 && before + after > 0) throw new Error(`pad: cannot ${mode}-pad dim ${dim} of size 0`);
  if (mode === 'reflect' && (before > n - 1 || after > n - 1)) {
    throw new RangeError(`pad: reflect padding (${before}, ${after}) of dim ${dim} must be smaller than its size ${n}`);
  }
}

/**
 * For each output coordinate of dim `dim` (size `n`) padded by `before`/`after`, the input
 * coordinate it reads in a 'reflect' (mirrored, edge not repeated) or 'edge' (clamped) `mode`.
 */
export function padSourceMap(n: number, before: number, after: number, mode: string, dim: number): Int32Array {
  checkPadDim(n, before, after, mode, dim);
  const m = new Int32Array(before + n + after);
  for (let p = 0; p < m.length; p++) {
    let i = p - before;
    if (mode === 'edge') i = i < 0 ? 0 : i >= n ? n - 1 : i;
    else if (i < 0) i = -i;
    else if (i >= n) i = 2 * (n - 1) - i;
    m[p] = i;
  }
  return m;
}

/**
 * The `concat` output shape and the output's size along `axis`; throws unless there is an
 * input, the axis is valid and all inputs share the dtype and every dim but `axis`.
 */
export function concatShape(inputs: readonly { readonly shape: Shape; readonly dtype: DType }[], axis: number): { outShape: number[]; total: number } {
  const first = inputs[0];
  if (!first) throw new Error('concat: needs at least one input');
  const rank = first.shape.length;
  checkAxis('concat', axis, rank);
  let total = 0;
  for (const t of inputs) {
    const ok = t.shape.length === rank && t.shape.every((d, i) => i === axis || d === first.shape[i]);
    if (!ok || t.dtype !== first.dtype) {
      throw new Error(
        `concat: inputs must share dtype and all dims but axis ${axis}; got ${inputs.map((u) => `${fmtShape(u.shape)} ${u.dtype}`).join(', ')}`,
      );
    }
    total += t.shape[axis]!;
  }
  return { outShape: first.shape.map((d, i) => (i === axis ? total : d)), total };
}
