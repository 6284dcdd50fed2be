import { withGrad } from '../autograd/node.js';
import { opScope } from '../memory/scope.js';
import type { Tensor } from '../tensor.js';
import { eq } from './eq.js';
import { gt } from './gt.js';
import { binaryOperands } from './helpers.js';
import { runKernel } from './kernel.js';
import { lt } from './lt.js';
import { mul } from './mul.js';
import { sumToShape } from './sum-to-shape.js';
import type { TensorLike } from './tensor-factory.js';
import { where } from './where.js';

/**
 * Elementwise minimum with broadcasting; NaN in either operand gives NaN.
 * Gradient (PyTorch): `dy` to the smaller operand, split half/half on ties.
 *
 * @example minimum(tensor([1, 5]), tensor([3, 2])) // [1, 2]
 */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  return opScope(() => {
    const [x, y] = binaryOperands(a, b);
    const out = runKernel('minimum', [x, y]);
    return withGrad('minimum', [x, y], out, (dy) => {
      const g = where(eq(x, y), mul(dy, 0.5), dy);
      return [
        x.requiresGrad ? sumToShape(where(gt(x, y), 0, g), x.shape) : null,
        y.requiresGrad ? sumToShape(where(lt(x, y), 0, g), y.shape) : null,
      ];
    });
  });
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  minimum(this: Tensor, b: TensorLike): Tensor { return minimum(this, b); },
};
