import { withGrad } from '../autograd/node.js';
import { opScope } from '../memory/scope.js';
import type { Tensor } from '../tensor.js';
import { zerosLike } from './creation.js';
import { runKernel } from './kernel.js';
import { toTensor, type TensorLike } from './tensor-factory.js';

/**
 * Elementwise ceiling (rounds toward +∞); keeps the dtype.
 * Gradient: zero (piecewise constant), as in PyTorch.
 * @example ceil(tensor([1.5, -1.5])) // [2, -1]
 */
export function ceil(x: TensorLike): Tensor {
  return opScope(() => {
    const t = toTensor(x);
    const out = runKernel('ceil', [t]);
    return withGrad('ceil', [t], out, (dy) => [zerosLike(dy)]);
  });
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  ceil(this: Tensor): Tensor { return ceil(this); },
};
