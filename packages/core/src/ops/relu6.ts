import { withGrad } from '../autograd/node.js';
import { opScope } from '../memory/scope.js';
import type { Tensor } from '../tensor.js';
import { full } from './creation.js';
import { gt } from './gt.js';
import { runKernel } from './kernel.js';
import { logicalAnd } from './logical-and.js';
import { lt } from './lt.js';
import { toTensor, type TensorLike } from './tensor-factory.js';
import { where } from './where.js';

/**
 * Elementwise `min(max(x, 0), 6)`; keeps the dtype.
 * Gradient (PyTorch's hardtanh): `dy` where `0 < x < 6`, else 0.
 *
 * @example relu6(tensor([-1, 3, 8])) // [0, 3, 6]
 */
export function relu6(x: TensorLike): Tensor {
  return opScope(() => {
    const t = toTensor(x);
    const low = runKernel('maximum', [t, full([], 0, t.dtype)]);
    const out = runKernel('minimum', [low, full([], 6, t.dtype)]);
    return withGrad('relu6', [t], out, (dy) => [where(logicalAnd(gt(t, 0), lt(t, 6)), dy, 0)]);
  });
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  relu6(this: Tensor): Tensor { return relu6(this); },
};
