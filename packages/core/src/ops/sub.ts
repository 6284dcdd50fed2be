import { withGrad } from '../autograd/node.js';
import { opScope } from '../memory/scope.js';
import type { Tensor } from '../tensor.js';
import { binaryOperands } from './helpers.js';
import { runKernel } from './kernel.js';
import { neg } from './neg.js';
import { sumToShape } from './sum-to-shape.js';
import type { TensorLike } from './tensor-factory.js';

/**
 * Elementwise `a - b` with broadcasting.
 * Gradient: `dy` to `a`, `-dy` to `b` (each summed over broadcast dims).
 *
 * @example sub(tensor([5, 6]), 1) // [4, 5]
 */
export function sub(a: TensorLike, b: TensorLike): Tensor {
  return opScope(() => {
    const [x, y] = binaryOperands(a, b);
    const out = runKernel('sub', [x, y]);
    return withGrad('sub', [x, y], out, (dy) => [sumToShape(dy, x.shape), sumToShape(neg(dy), y.shape)]);
  });
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  sub(this: Tensor, b: TensorLike): Tensor { return sub(this, b); },
};
