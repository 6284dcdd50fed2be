import type { Tensor } from '../tensor.js';
import { extremum } from './reduce-util.js';
import type { TensorLike } from './tensor-factory.js';
import type { Axes } from '../methods/declarations.js';

/**
 * Minimum over `axes` (all by default), optionally keeping reduced dims (PyTorch's `amin`;
 * NaN propagates). Reducing an empty dim throws.
 * Gradient: `dy` split evenly among the elements equal to the minimum
 * (`dy·mask/count` with `mask = x == min`), as PyTorch's `amin`.
 *
 * @example min(tensor([[1, 5], [7, 2]]), 1) // [1, 2]
 */
export function min(x: TensorLike, axes?: number | readonly number[], keepDims = false): Tensor {
  return extremum('min', x, axes, keepDims);
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  /** Minimum over `axes` (all by default); see `min`. */
  min(this: Tensor, axes?: Axes, keepDims?: boolean): Tensor { return min(this, axes, keepDims); },
};
