import { withGrad } from '../autograd/node.js';
import { opScope } from '../memory/scope.js';
import type { Tensor } from '../tensor.js';
import { binaryOperands } from './helpers.js';
import { runKernel } from './kernel.js';
import { sumToShape } from './sum-to-shape.js';
import type { TensorLike } from './tensor-factory.js';

/**
 * Elementwise `a + b` with broadcasting and dtype promotion.
 * Gradient: `dy` to both operands, summed over broadcast dims.
 *
 * @example add(tensor([1, 2]), 10) // [11, 12]
 */
export function add(a: TensorLike, b: TensorLike): Tensor {
  return opScope(() => {
    const [x, y] = binaryOperands(a, b);
    const out = runKernel('add', [x, y]);
    return withGrad('add', [x, y], out, (dy) => [sumToShape(dy, x.shape), sumToShape(dy, y.shape)]);
  });
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  add(this: Tensor, b: TensorLike): Tensor { return add(this, b); },
};
