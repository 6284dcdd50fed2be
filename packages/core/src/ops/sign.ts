import { withGrad } from '../autograd/node.js';
import { opScope } from '../memory/scope.js';
import type { Tensor } from '../tensor.js';
import { zerosLike } from './creation.js';
import { runKernel } from './kernel.js';
import { toTensor, type TensorLike } from './tensor-factory.js';

/**
 * Elementwise sign: -1, 0 or 1 (NaN stays NaN); keeps the dtype.
 * Gradient: zero (piecewise constant), as in PyTorch.
 * @example sign(tensor([-2, 0, 3])) // [-1, 0, 1]
 */
export function sign(x: TensorLike): Tensor {
  return opScope(() => {
    const t = toTensor(x);
    const out = runKernel('sign', [t]);
    return withGrad('sign', [t], out, (dy) => [zerosLike(dy)]);
  });
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  sign(this: Tensor): Tensor { return sign(this); },
};
