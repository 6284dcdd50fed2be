// Shared helpers of the movement ops (index conversion, JS-computed index tensors).
import type { DType } from '../dtypes.js';
import { fmtShape, type Shape } from '../shape.js';
import { isTensor, type Tensor } from '../tensor.js';
import { fromStorage, tensor, type TensorLike } from './tensor-factory.js';

/**
 * An index argument as an int32/int64 tensor. Tensors must already be int32 or int64; plain
 * numbers and arrays become int32 (int64 for `BigInt64Array`s and bigints).
 */
export function toIndex(x: TensorLike, op: string, what = 'index'): Tensor {
  if (isTensor(x)) {
    if (x.dtype !== 'int32' && x.dtype !== 'int64') {
      throw new TypeError(`${op}: ${what} must be an int32 or int64 tensor, got ${x.dtype} ${fmtShape(x.shape)}`);
    }
    return x;
  }
  const big = x instanceof BigInt64Array || typeof x === 'bigint' || (Array.isArray(x) && firstLeaf(x) === 'bigint');
  return tensor(x, undefined, big ? 'int64' : 'int32');
}

function firstLeaf(x: unknown): string {
  let v = x;
  while (Array.isArray(v)) v = v[0];
  return typeof v;
}

/** The dtype for indices up to `max` (int32 when it fits). */
export function indexDType(max: number): DType {
  return max < 2 ** 31 ? 'int32' : 'int64';
}

/** An index tensor from JS-computed values (all in [0, max)). */
export function indexTensor(values: ArrayLike<number>, shape: Shape, max: number, op: string): Tensor {
  const dt = indexDType(max);
  const data = dt === 'int32' ? Int32Array.from(values as ArrayLike<number>) : Float64Array.from(values as ArrayLike<number>);
  return fromStorage(data, shape, dt, op);
}

/** `shape` with dim `axis` replaced by `n`. */
export function withDim(shape: Shape, axis: number, n: number): number[] {
  return shape.map((d, i) => (i === axis ? n : d));
}

/** A number or a list as a list. */
export function asList(v: number | readonly number[]): number[] {
  return typeof v === 'number' ? [v] : [...v];
}

/**
 * Checks the shape rule of gather/scatter (torch): `index` has the rank of `x` and no dim
 * larger than `x`'s except along `axis` (and, for scatter, none larger than `src`'s).
 */
export function checkIndexShape(op: string, x: Shape, index: Shape, axis: number, src?: Shape): void {
  const bad =
    index.length !== x.length ||
    index.some((d, i) => i !== axis && d > x[i]!) ||
    (src !== undefined && (src.length !== index.length || index.some((d, i) => d > src[i]!)));
  if (bad) {
    const srcPart = src ? ` and src ${fmtShape(src)}` : '';
    throw new Error(
      `${op}: index ${fmtShape(index)} must have the rank of x ${fmtShape(x)}${srcPart} and no dim larger than ` +
        `x's (except along axis ${axis})${src ? " or src's" : ''}`,
    );
  }
}
