import { withGrad } from '../autograd/node.js';
import { opScope } from '../memory/scope.js';
import type { Tensor } from '../tensor.js';
import { asFloat } from './helpers.js';
import { runKernel } from './kernel.js';
import { mul } from './mul.js';
import type { TensorLike } from './tensor-factory.js';

/**
 * Elementwise `e^x`. Gradient: `dy·e^x` (reuses the output).
 * @example exp(tensor([0, 1])) // [1, 2.71828]
 */
export function exp(x: TensorLike): Tensor {
  return opScope(() => {
    const t = asFloat(x);
    const out = runKernel('exp', [t]);
    return withGrad('exp', [t], out, (dy) => [mul(dy, out)]);
  });
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  exp(this: Tensor): Tensor { return exp(this); },
};
