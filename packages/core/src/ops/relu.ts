import { withGrad } from '../autograd/node.js';
import { opScope } from '../memory/scope.js';
import type { Tensor } from '../tensor.js';
import { full } from './creation.js';
import { gt } from './gt.js';
import { runKernel } from './kernel.js';
import { toTensor, type TensorLike } from './tensor-factory.js';
import { where } from './where.js';

/**
 * Elementwise `max(x, 0)`; keeps the dtype, NaN stays NaN. Gradient: `dy` where `x > 0`, else 0.
 * @example relu(tensor([-1, 2])) // [0, 2]
 */
export function relu(x: TensorLike): Tensor {
  return opScope(() => {
    const t = toTensor(x);
    const out = runKernel('maximum', [t, full([], 0, t.dtype)]);
    return withGrad('relu', [t], out, (dy) => [where(gt(t, 0), dy, 0)]);
  });
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  relu(this: Tensor): Tensor { return relu(this); },
};
