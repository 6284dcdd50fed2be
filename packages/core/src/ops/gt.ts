import { opScope } from '../memory/scope.js';
import type { Tensor } from '../tensor.js';
import { binaryOperands } from './helpers.js';
import { runKernel } from './kernel.js';
import type { TensorLike } from './tensor-factory.js';

/**
 * Elementwise `a > b` with broadcasting, on every dtype (operands promoted to a common
 * dtype first). Returns bool; no gradient.
 *
 * @example gt(tensor([1, 2, 3]), 2) // [false, false, true]
 */
export function gt(a: TensorLike, b: TensorLike): Tensor {
  return opScope(() => {
    const [x, y] = binaryOperands(a, b);
    return runKernel('gt', [x, y]);
  });
}

/** Alias of `gt`. */
export const greater = gt;

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  gt(this: Tensor, b: TensorLike): Tensor { return gt(this, b); },
  greater(this: Tensor, b: TensorLike): Tensor { return gt(this, b); },
};
