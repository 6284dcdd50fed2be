import { withGrad } from '../autograd/node.js';
import { opScope } from '../memory/scope.js';
import type { Tensor } from '../tensor.js';
import { binaryOperands } from './helpers.js';
import { runKernel } from './kernel.js';
import { sumToShape } from './sum-to-shape.js';
import type { TensorLike } from './tensor-factory.js';

/**
 * Elementwise `a * b` with broadcasting.
 * Gradient: `dy·b` to `a` and `dy·a` to `b`.
 *
 * @example mul(tensor([1, 2]), tensor([3, 4])) // [3, 8]
 */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  return opScope(() => {
    const [x, y] = binaryOperands(a, b);
    const out = runKernel('mul', [x, y]);
    return withGrad('mul', [x, y], out, (dy) => [
      x.requiresGrad ? sumToShape(mul(dy, y), x.shape) : null,
      y.requiresGrad ? sumToShape(mul(dy, x), y.shape) : null,
    ]);
  });
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  mul(this: Tensor, b: TensorLike): Tensor { return mul(this, b); },
};
