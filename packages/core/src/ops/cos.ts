import { withGrad } from '../autograd/node.js';
import { opScope } from '../memory/scope.js';
import type { Tensor } from '../tensor.js';
import { asFloat } from './helpers.js';
import { runKernel } from './kernel.js';
import { mul } from './mul.js';
import { neg } from './neg.js';
import { sin } from './sin.js';
import type { TensorLike } from './tensor-factory.js';

/**
 * Elementwise cosine (radians). Gradient: `-dy·sin(x)`.
 * @example cos(tensor([0, Math.PI])) // [1, -1]
 */
export function cos(x: TensorLike): Tensor {
  return opScope(() => {
    const t = asFloat(x);
    const out = runKernel('cos', [t]);
    return withGrad('cos', [t], out, (dy) => [neg(mul(dy, sin(t)))]);
  });
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  cos(this: Tensor): Tensor { return cos(this); },
};
