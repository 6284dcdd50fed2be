import { opScope } from '../memory/scope.js';
import type { Tensor } from '../tensor.js';
import { binaryOperands } from './helpers.js';
import { runKernel } from './kernel.js';
import type { TensorLike } from './tensor-factory.js';

/**
 * Elementwise `a == b` with broadcasting, on every dtype (operands promoted to a common
 * dtype first). Returns bool; no gradient.
 *
 * @example eq(tensor([1, 2]), tensor([1, 3])) // [true, false]
 */
export function eq(a: TensorLike, b: TensorLike): Tensor {
  return opScope(() => {
    const [x, y] = binaryOperands(a, b);
    return runKernel('eq', [x, y]);
  });
}

/** Alias of `eq`. */
export const equal = eq;

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  eq(this: Tensor, b: TensorLike): Tensor { return eq(this, b); },
  equal(this: Tensor, b: TensorLike): Tensor { return eq(this, b); },
};
