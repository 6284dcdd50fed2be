import { withGrad } from '../autograd/node.js';
import { opScope } from '../memory/scope.js';
import type { Tensor } from '../tensor.js';
import { asFloat } from './helpers.js';
import { runKernel } from './kernel.js';
import { mul } from './mul.js';
import { neg } from './neg.js';
import type { TensorLike } from './tensor-factory.js';

/**
 * Elementwise `1/x`; integer inputs give float32. Gradient: `-dy·out²`.
 * @example reciprocal(tensor([2, 4])) // [0.5, 0.25]
 */
export function reciprocal(x: TensorLike): Tensor {
  return opScope(() => {
    const t = asFloat(x);
    const out = runKernel('reciprocal', [t]);
    return withGrad('reciprocal', [t], out, (dy) => [neg(mul(dy, mul(out, out)))]);
  });
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  reciprocal(this: Tensor): Tensor { return reciprocal(this); },
};
