import type { Tensor } from '../tensor.js';
import { argReduce } from './reduce-util.js';
import type { TensorLike } from './tensor-factory.js';

/**
 * Index (int64) of the minimum along `axis`; without `axis`, the flat index over the whole
 * tensor (with `keepDims`, shaped as all-ones of the input's rank). The first index wins on
 * ties; a NaN counts as the minimum. Not differentiable.
 *
 * @example argmin(tensor([[1, 5], [7, 2]]), 1) // [0, 1]
 * @example argmin(tensor([[1, 5], [7, 2]]))    // 0
 */
export function argmin(x: TensorLike, axis?: number, keepDims = false): Tensor {
  return argReduce('argmin', x, axis, keepDims);
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  /** Index of the minimum along `axis` (flattened without one); see `argmin`. */
  argmin(this: Tensor, axis?: number, keepDims?: boolean): Tensor { return argmin(this, axis, keepDims); },
};
