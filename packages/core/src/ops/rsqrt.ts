import { withGrad } from '../autograd/node.js';
import { opScope } from '../memory/scope.js';
import type { Tensor } from '../tensor.js';
import { asFloat } from './helpers.js';
import { runKernel } from './kernel.js';
import { mul } from './mul.js';
import type { TensorLike } from './tensor-factory.js';

/**
 * Elementwise `1/√x`. Gradient: `-dy·out³/2`.
 * @example rsqrt(tensor([4, 16])) // [0.5, 0.25]
 */
export function rsqrt(x: TensorLike): Tensor {
  return opScope(() => {
    const t = asFloat(x);
    const root = runKernel('sqrt', [t]);
    const out = runKernel('reciprocal', [root]);
    root.dispose();
    return withGrad('rsqrt', [t], out, (dy) => [mul(dy, mul(mul(out, mul(out, out)), -0.5))]);
  });
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  rsqrt(this: Tensor): Tensor { return rsqrt(this); },
};
