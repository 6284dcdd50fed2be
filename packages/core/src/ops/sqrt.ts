import { withGrad } from '../autograd/node.js';
import { opScope } from '../memory/scope.js';
import type { Tensor } from '../tensor.js';
import { div } from './div.js';
import { asFloat } from './helpers.js';
import { runKernel } from './kernel.js';
import { mul } from './mul.js';
import type { TensorLike } from './tensor-factory.js';

/**
 * Elementwise square root. Gradient: `dy/(2·out)`.
 * @example sqrt(tensor([4, 9])) // [2, 3]
 */
export function sqrt(x: TensorLike): Tensor {
  return opScope(() => {
    const t = asFloat(x);
    const out = runKernel('sqrt', [t]);
    return withGrad('sqrt', [t], out, (dy) => [div(dy, mul(out, 2))]);
  });
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  sqrt(this: Tensor): Tensor { return sqrt(this); },
};
