import { withGrad } from '../autograd/node.js';
import { opScope } from '../memory/scope.js';
import type { Tensor } from '../tensor.js';
import { zerosLike } from './creation.js';
import { runKernel } from './kernel.js';
import { toTensor, type TensorLike } from './tensor-factory.js';

/**
 * Elementwise rounding to the nearest integer, halves to even (PyTorch/NumPy); keeps the dtype.
 * Gradient: zero (piecewise constant), as in PyTorch.
 * @example round(tensor([0.5, 1.5, 2.6])) // [0, 2, 3]
 */
export function round(x: TensorLike): Tensor {
  return opScope(() => {
    const t = toTensor(x);
    const out = runKernel('round', [t]);
    return withGrad('round', [t], out, (dy) => [zerosLike(dy)]);
  });
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  round(this: Tensor): Tensor { return round(this); },
};
