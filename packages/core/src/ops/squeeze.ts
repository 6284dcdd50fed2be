import { opScope } from '../memory/scope.js';
import { normAxes } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { reshape } from './reshape.js';
import { toTensor, type TensorLike } from './tensor-factory.js';

/**
 * Removes size-1 dims: all of them, or those of `axes` (listed dims that are not 1 are kept, as
 * in PyTorch). A view (via `reshape`), so its gradient is the incoming gradient reshaped back.
 *
 * @example squeeze(zeros([2, 1, 3, 1])).shape     // [2, 3]
 * @example squeeze(zeros([2, 1, 3, 1]), 1).shape  // [2, 3, 1]
 */
export function squeeze(x: TensorLike, axes?: number | readonly number[]): Tensor {
  return opScope(() => {
    const t = toTensor(x);
    const ax = axes === undefined ? null : normAxes(axes, t.rank, 'squeeze');
    const shape = t.shape.filter((d, i) => !(d === 1 && (ax === null || ax.includes(i))));
    return reshape(t, shape);
  });
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  squeeze(this: Tensor, axes?: number | readonly number[]): Tensor { return squeeze(this, axes); },
};
