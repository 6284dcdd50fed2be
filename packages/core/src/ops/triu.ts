import type { Tensor } from '../tensor.js';
import type { TensorLike } from './tensor-factory.js';
import { triangle } from './tri-mask.js';

/**
 * Upper triangle of the last two dims (`torch.triu`): keeps entries with `col - row >= k`,
 * zeroes the rest. Gradient: `triu(dy, k)`.
 *
 * @example triu(ones([3, 3]))    // [[1, 1, 1], [0, 1, 1], [0, 0, 1]]
 * @example triu(ones([3, 3]), 1) // [[0, 1, 1], [0, 0, 1], [0, 0, 0]]
 */
export function triu(x: TensorLike, k = 0): Tensor {
  return triangle('triu', x, k);
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  triu(this: Tensor, k?: number): Tensor { return triu(this, k); },
};
