import { withGrad } from '../autograd/node.js';
import { opScope } from '../memory/scope.js';
import { normAxes } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { runKernel } from './kernel.js';
import { toTensor, type TensorLike } from './tensor-factory.js';

/**
 * Reverses `x` along `axes` (`torch.flip`), as a slice with step -1. Copies.
 * Gradient: `flip(dy, axes)`.
 *
 * @example flip(tensor([[1, 2], [3, 4]]), 1)      // [[2, 1], [4, 3]]
 * @example flip(tensor([[1, 2], [3, 4]]), [0, 1]) // [[4, 3], [2, 1]]
 */
export function flip(x: TensorLike, axes: number | readonly number[]): Tensor {
  return opScope(() => {
    const t = toTensor(x);
    const ax = normAxes(axes, t.rank, 'flip');
    const begin = t.shape.map((d, i) => (ax.includes(i) && d > 0 ? d - 1 : 0));
    const step = t.shape.map((_, i) => (ax.includes(i) ? -1 : 1));
    const out = runKernel('slice', [t], { begin, size: [...t.shape], step });
    return withGrad('flip', [t], out, (dy) => [flip(dy, ax)]);
  });
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  flip(this: Tensor, axes: number | readonly number[]): Tensor { return flip(this, axes); },
};
