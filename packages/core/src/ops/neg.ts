import { withGrad } from '../autograd/node.js';
import { opScope } from '../memory/scope.js';
import type { Tensor } from '../tensor.js';
import { runKernel } from './kernel.js';
import { toTensor, type TensorLike } from './tensor-factory.js';

/**
 * Elementwise `-x`. Gradient: `-dy`.
 * @example neg(tensor([1, -2])) // [-1, 2]
 */
export function neg(x: TensorLike): Tensor {
  return opScope(() => {
    const t = toTensor(x);
    const out = runKernel('neg', [t]);
    return withGrad('neg', [t], out, (dy) => [neg(dy)]);
  });
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  neg(this: Tensor): Tensor { return neg(this); },
};
