import { withGrad } from '../autograd/node.js';
import { opScope } from '../memory/scope.js';
import type { Tensor } from '../tensor.js';
import { cos } from './cos.js';
import { asFloat } from './helpers.js';
import { runKernel } from './kernel.js';
import { mul } from './mul.js';
import type { TensorLike } from './tensor-factory.js';

/**
 * Elementwise sine (radians). Gradient: `dy·cos(x)`.
 * @example sin(tensor([0, Math.PI / 2])) // [0, 1]
 */
export function sin(x: TensorLike): Tensor {
  return opScope(() => {
    const t = asFloat(x);
    const out = runKernel('sin', [t]);
    return withGrad('sin', [t], out, (dy) => [mul(dy, cos(t))]);
  });
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  sin(this: Tensor): Tensor { return sin(this); },
};
