import { opScope } from '../memory/scope.js';
import { normAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { reshape } from './reshape.js';
import { toTensor, type TensorLike } from './tensor-factory.js';

/**
 * Inserts a size-1 dim at `axis` (in `[-rank-1, rank]`; negative counts from the end of the
 * result). A view (via `reshape`); gradient: the incoming gradient reshaped back.
 *
 * @example unsqueeze(zeros([2, 3]), 1).shape   // [2, 1, 3]
 * @example unsqueeze(zeros([2, 3]), -1).shape  // [2, 3, 1]
 */
export function unsqueeze(x: TensorLike, axis: number): Tensor {
  return opScope(() => {
    const t = toTensor(x);
    const a = normAxis(axis, t.rank + 1, 'unsqueeze');
    const shape = [...t.shape];
    shape.splice(a, 0, 1);
    return reshape(t, shape);
  });
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  unsqueeze(this: Tensor, axis: number): Tensor { return unsqueeze(this, axis); },
};
