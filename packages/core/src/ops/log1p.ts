import { withGrad } from '../autograd/node.js';
import { opScope } from '../memory/scope.js';
import type { Tensor } from '../tensor.js';
import { add } from './add.js';
import { div } from './div.js';
import { asFloat } from './helpers.js';
import { runKernel } from './kernel.js';
import type { TensorLike } from './tensor-factory.js';

/**
 * Elementwise `log(1 + x)`, accurate near 0. Gradient: `dy/(1 + x)`.
 * @example log1p(tensor([0, Math.E - 1])) // [0, 1]
 */
export function log1p(x: TensorLike): Tensor {
  return opScope(() => {
    const t = asFloat(x);
    const out = runKernel('log1p', [t]);
    return withGrad('log1p', [t], out, (dy) => [div(dy, add(t, 1))]);
  });
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  log1p(this: Tensor): Tensor { return log1p(this); },
};
