import type { Tensor } from '../tensor.js';
import type { TensorLike } from './tensor-factory.js';
import { triangle } from './tri-mask.js';

/**
 * Lower triangle of the last two dims (`torch.tril`): keeps entries with `col - row <= k`,
 * zeroes the rest. Gradient: `tril(dy, k)`.
 *
 * @example tril(ones([3, 3]))     // [[1, 0, 0], [1, 1, 0], [1, 1, 1]]
 * @example tril(ones([2, 3]), -1) // [[0, 0, 0], [1, 0, 0]]
 */
export function tril(x: TensorLike, k = 0): Tensor {
  return triangle('tril', x, k);
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  tril(this: Tensor, k?: number): Tensor { return tril(this, k); },
};
