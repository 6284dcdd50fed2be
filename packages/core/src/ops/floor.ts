import { withGrad } from '../autograd/node.js';
import { opScope } from '../memory/scope.js';
import type { Tensor } from '../tensor.js';
import { zerosLike } from './creation.js';
import { runKernel } from './kernel.js';
import { toTensor, type TensorLike } from './tensor-factory.js';

/**
 * Elementwise floor (rounds toward -∞); keeps the dtype.
 * Gradient: zero (piecewise constant), as in PyTorch.
 * @example floor(tensor([1.5, -1.5])) // [1, -2]
 */
export function floor(x: TensorLike): Tensor {
  return opScope(() => {
    const t = toTensor(x);
    const out = runKernel('floor', [t]);
    return withGrad('floor', [t], out, (dy) => [zerosLike(dy)]);
  });
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  floor(this: Tensor): Tensor { return floor(this); },
};
