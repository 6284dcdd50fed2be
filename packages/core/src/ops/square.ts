import { withGrad } from '../autograd/node.js';
import { opScope } from '../memory/scope.js';
import type { Tensor } from '../tensor.js';
import { runKernel } from './kernel.js';
import { mul } from './mul.js';
import { toTensor, type TensorLike } from './tensor-factory.js';

/**
 * Elementwise `x²`; keeps the dtype (integers stay integers, as in PyTorch). Gradient: `2x·dy`.
 * @example square(tensor([-3, 2])) // [9, 4]
 */
export function square(x: TensorLike): Tensor {
  return opScope(() => {
    const t = toTensor(x);
    const out = runKernel('mul', [t, t]);
    return withGrad('square', [t], out, (dy) => [mul(dy, mul(t, 2))]);
  });
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  square(this: Tensor): Tensor { return square(this); },
};
