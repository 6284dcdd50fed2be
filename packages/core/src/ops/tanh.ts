import { withGrad } from '../autograd/node.js';
import { opScope } from '../memory/scope.js';
import type { Tensor } from '../tensor.js';
import { asFloat } from './helpers.js';
import { runKernel } from './kernel.js';
import { mul } from './mul.js';
import { sub } from './sub.js';
import type { TensorLike } from './tensor-factory.js';

/**
 * Elementwise hyperbolic tangent. Gradient: `dy·(1 - out²)` (differentiable again).
 * @example tanh(tensor([0, 100])) // [0, 1]
 */
export function tanh(x: TensorLike): Tensor {
  return opScope(() => {
    const t = asFloat(x);
    const out = runKernel('tanh', [t]);
    return withGrad('tanh', [t], out, (dy) => [mul(dy, sub(1, mul(out, out)))]);
  });
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  tanh(this: Tensor): Tensor { return tanh(this); },
};
