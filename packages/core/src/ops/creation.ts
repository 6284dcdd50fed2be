import { fromNumbers, type DType } from '../dtypes.js';
import { sizeOf, type Shape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { fromStorage } from './tensor-factory.js';

function checkShape(shape: Shape, op: string): void {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new Error(`${op}: invalid shape [${shape.join(',')}]`);
  }
}

/**
 * A tensor of `shape` filled with `value`.
 * @example full([2, 3], 7) // 2×3 of sevens
 */
export function full(shape: Shape, value: number | boolean, dtype: DType = typeof value === 'boolean' ? 'bool' : 'float32'): Tensor {
  checkShape(shape, 'full');
  const n = sizeOf(shape);
  const data = fromNumbers([typeof value === 'boolean' ? (value ? 1 : 0) : value], dtype);
  const out = new (data.constructor as new (n: number) => typeof data)(n);
  out.fill(data[0]!);
  return fromStorage(out, shape, dtype, 'full');
}

/** @example zeros([2, 2]) */
export function zeros(shape: Shape, dtype: DType = 'float32'): Tensor {
  return full(shape, 0, dtype);
}

/** @example ones([3]) */
export function ones(shape: Shape, dtype: DType = 'float32'): Tensor {
  return full(shape, 1, dtype);
}

export function zerosLike(x: Tensor, dtype: DType = x.dtype): Tensor {
  return full(x.shape, 0, dtype);
}

export function onesLike(x: Tensor, dtype: DType = x.dtype): Tensor {
  return full(x.shape, 1, dtype);
}

export function fullLike(x: Tensor, value: number, dtype: DType = x.dtype): Tensor {
  return full(x.shape, value, dtype);
}
