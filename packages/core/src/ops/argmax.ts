import type { Tensor } from '../tensor.js';
import { argReduce } from './reduce-util.js';
import type { TensorLike } from './tensor-factory.js';

/**
 * Index (int64) of the maximum along `axis`; without `axis`, the flat index over the whole
 * tensor (with `keepDims`, shaped as all-ones of the input's rank). The first index wins on
 * ties; a NaN counts as the maximum. Not differentiable.
 *
 * @example argmax(tensor([[1, 5], [7, 2]]), 1) // [1, 0]
 * @example argmax(tensor([[1, 5], [7, 2]]))    // 2
 */
export function argmax(x: TensorLike, axis?: number, keepDims = false): Tensor {
  return argReduce('argmax', x, axis, keepDims);
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  /** Index of the maximum along `axis` (flattened without one); see `argmax`. */
  argmax(this: Tensor, axis?: number, keepDims?: boolean): Tensor { return argmax(this, axis, keepDims); },
};
