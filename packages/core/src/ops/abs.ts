import { withGrad } from '../autograd/node.js';
import { opScope } from '../memory/scope.js';
import type { Tensor } from '../tensor.js';
import { runKernel } from './kernel.js';
import { mul } from './mul.js';
import { sign } from './sign.js';
import { toTensor, type TensorLike } from './tensor-factory.js';

/**
 * Elementwise `|x|`; keeps the dtype. Gradient: `dy·sign(x)` (0 at 0, as PyTorch).
 * @example abs(tensor([-2, 3])) // [2, 3]
 */
export function abs(x: TensorLike): Tensor {
  return opScope(() => {
    const t = toTensor(x);
    const out = runKernel('abs', [t]);
    return withGrad('abs', [t], out, (dy) => [mul(dy, sign(t))]);
  });
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  abs(this: Tensor): Tensor { return abs(this); },
};
