import { opScope } from '../memory/scope.js';
import { fmtShape, normAxis, sizeOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { reshape } from './reshape.js';
import { toTensor, type TensorLike } from './tensor-factory.js';

/**
 * Merges dims `startDim..endDim` (inclusive; negative counts from the end) into one, as
 * `torch.flatten`; a scalar becomes 1-D. A view (via `reshape`); gradient: reshaped back.
 *
 * @example flatten(zeros([2, 3, 4])).shape        // [24]
 * @example flatten(zeros([2, 3, 4]), 1).shape     // [2, 12]
 * @example flatten(zeros([2, 3, 4]), 0, 1).shape  // [6, 4]
 */
export function flatten(x: TensorLike, startDim = 0, endDim = -1): Tensor {
  return opScope(() => {
    const t = toTensor(x);
    if (t.rank === 0) return reshape(t, [1]);
    const s = normAxis(startDim, t.rank, 'flatten');
    const e = normAxis(endDim, t.rank, 'flatten');
    if (s > e) {
      throw new RangeError(`flatten: startDim ${startDim} comes after endDim ${endDim} for a tensor of shape ${fmtShape(t.shape)}`);
    }
    const shape = [...t.shape.slice(0, s), sizeOf(t.shape.slice(s, e + 1)), ...t.shape.slice(e + 1)];
    return reshape(t, shape);
  });
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  flatten(this: Tensor, startDim?: number, endDim?: number): Tensor { return flatten(this, startDim, endDim); },
};
