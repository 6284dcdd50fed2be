import type { Tensor } from '../tensor.js';
import { extremum } from './reduce-util.js';
import type { TensorLike } from './tensor-factory.js';
import type { Axes } from '../methods/declarations.js';

/**
 * Maximum over `axes` (all by default), optionally keeping reduced dims (PyTorch's `amax`;
 * NaN propagates). Reducing an empty dim throws.
 * Gradient: `dy` split evenly among the elements equal to the maximum
 * (`dy·mask/count` with `mask = x == max`), as PyTorch's `amax`.
 *
 * @example max(tensor([[1, 5], [7, 2]]), 1) // [5, 7]
 * @example max(tensor([[1, 5], [7, 2]]))    // 7
 */
export function max(x: TensorLike, axes?: number | readonly number[], keepDims = false): Tensor {
  return extremum('max', x, axes, keepDims);
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  /** Maximum over `axes` (all by default); see `max`. */
  max(this: Tensor, axes?: Axes, keepDims?: boolean): Tensor { return max(this, axes, keepDims); },
};
