import { withGrad } from '../autograd/node.js';
import { opScope } from '../memory/scope.js';
import type { Tensor } from '../tensor.js';
import { add } from './add.js';
import { asFloat } from './helpers.js';
import { runKernel } from './kernel.js';
import { mul } from './mul.js';
import type { TensorLike } from './tensor-factory.js';

/**
 * Elementwise `e^x - 1`, accurate near 0. Gradient: `dy·(out + 1)`.
 * @example expm1(tensor([0, 1e-10])) // [0, 1e-10]
 */
export function expm1(x: TensorLike): Tensor {
  return opScope(() => {
    const t = asFloat(x);
    const out = runKernel('expm1', [t]);
    return withGrad('expm1', [t], out, (dy) => [mul(dy, add(out, 1))]);
  });
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  expm1(this: Tensor): Tensor { return expm1(this); },
};
