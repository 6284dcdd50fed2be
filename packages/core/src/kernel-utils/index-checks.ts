// Kernel utilities: the argument checks of the index kernels (`gather indexSelect scatter
// scatterAdd`), with the error messages every backend throws.
import type { DType } from '../dtypes.js';
import { fmtShape, sizeOf, type Shape } from '../shape.js';

/** What the checks read of a kernel input (a `TensorInfo` fits). */
interface ShapeAndDType {
  readonly shape: Shape;
  readonly dtype: DType;
}

/** Throws a RangeError unless `axis` is an integer in [0, rank) (0 for a scalar). */
export function checkAxis(op: string, axis: number, rank: number): void {
  if (!Number.isInteger(axis) || axis < 0 || axis >= Math.max(rank, 1)) {
    throw new RangeError(`${op}: axis ${axis} is out of range for a tensor of rank ${rank}`);
  }
}

/** The RangeError of an index outside [0, size) along `axis`. */
export function indexOutOfRange(op: string, index: number, axis: number, size: number): RangeError {
  const range = size > 0 ? `[0, ${size - 1}]` : 'none (the dimension is empty)';
  return new RangeError(`${op}: index ${index} is out of range for dim ${axis} of size ${size} (valid range ${range})`);
}

/** Throws a TypeError unless the index input is int32 or int64. */
export function checkIndexDType(op: string, index: ShapeAndDType): void {
  if (index.dtype !== 'int32' && index.dtype !== 'int64') {
    throw new TypeError(`${op}: index must be int32 or int64, got ${index.dtype} ${fmtShape(index.shape)}`);
  }
}

/** Throws `indexOutOfRange` for the first of `indices` outside [0, dim). */
export function checkIndexRange(op: string, indices: ArrayLike<number>, axis: number, dim: number): void {
  for (let i = 0; i < indices.length; i++) {
    const k = indices[i]!;
    if (!(k >= 0 && k < dim)) throw indexOutOfRange(op, k, axis, dim);
  }
}

/** `gather`: a valid axis; index has the rank of x and no larger dims except along axis. */
export function checkGatherShapes(x: Shape, index: Shape, axis: number): void {
  checkAxis('gather', axis, x.length);
  if (index.length !== x.length || index.some((d, i) => i !== axis && d > x[i]!)) {
    throw new Error(`gather: index ${fmtShape(index)} must have the rank of x ${fmtShape(x)} and no larger dims except axis ${axis}`);
  }
}

/**
 * `indexSelect`: checks the axis and that `indices` is 0-D or 1-D; returns the output shape
 * (x with dim `axis` resized to the number of indices; a scalar x gives the indices' shape).
 */
export function indexSelectShape(x: Shape, indices: Shape, axis: number): number[] {
  checkAxis('indexSelect', axis, x.length);
  if (indices.length > 1) throw new Error(`indexSelect: indices must be 1-D, got ${fmtShape(indices)}`);
  const n = sizeOf(indices);
  return x.length === 0 ? (indices.length ? [n] : []) : x.map((d, i) => (i === axis ? n : d));
}

/**
 * `scatter` / `scatterAdd`: a valid axis; index and src have the rank of x, index no dim larger
 * than src's, nor than x's except along axis; src has x's dtype.
 */
export function checkScatterArgs(op: string, x: ShapeAndDType, index: Shape, src: ShapeAndDType, axis: number): void {
  const xs = x.shape;
  const ss = src.shape;
  const rank = xs.length;
  checkAxis(op, axis, rank);
  if (index.length !== rank || ss.length !== rank || index.some((d, i) => d > ss[i]! || (i !== axis && d > xs[i]!))) {
    throw new Error(
      `${op}: index ${fmtShape(index)} must have the rank of x ${fmtShape(xs)} and src ${fmtShape(ss)}, ` +
        `with dims no larger than src's, nor than x's except along axis ${axis}`,
    );
  }
  if (src.dtype !== x.dtype) throw new TypeError(`${op}: src dtype ${src.dtype} must match x dtype ${x.dtype}`);
}
