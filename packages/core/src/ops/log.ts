import { withGrad } from '../autograd/node.js';
import { opScope } from '../memory/scope.js';
import type { Tensor } from '../tensor.js';
import { div } from './div.js';
import { asFloat } from './helpers.js';
import { runKernel } from './kernel.js';
import type { TensorLike } from './tensor-factory.js';

/**
 * Elementwise natural logarithm. Gradient: `dy/x`.
 * @example log(tensor([1, Math.E])) // [0, 1]
 */
export function log(x: TensorLike): Tensor {
  return opScope(() => {
    const t = asFloat(x);
    const out = runKernel('log', [t]);
    return withGrad('log', [t], out, (dy) => [div(dy, t)]);
  });
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  log(this: Tensor): Tensor { return log(this); },
};
