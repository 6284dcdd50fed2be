import { withGrad } from '../autograd/node.js';
import { opScope } from '../memory/scope.js';
import type { Tensor } from '../tensor.js';
import { exp } from './exp.js';
import { asFloat } from './helpers.js';
import { runKernel } from './kernel.js';
import { mul } from './mul.js';
import { neg } from './neg.js';
import type { TensorLike } from './tensor-factory.js';

/**
 * Elementwise Gauss error function. Gradient: `dy·(2/√π)·e^(-x²)`.
 * @example erf(tensor([0, 1])) // [0, 0.8427]
 */
export function erf(x: TensorLike): Tensor {
  return opScope(() => {
    const t = asFloat(x);
    const out = runKernel('erf', [t]);
    return withGrad('erf', [t], out, (dy) => [mul(dy, mul(exp(neg(mul(t, t))), 2 / Math.sqrt(Math.PI)))]);
  });
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  erf(this: Tensor): Tensor { return erf(this); },
};
