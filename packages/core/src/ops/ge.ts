import { opScope } from '../memory/scope.js';
import type { Tensor } from '../tensor.js';
import { binaryOperands } from './helpers.js';
import { runKernel } from './kernel.js';
import type { TensorLike } from './tensor-factory.js';

/**
 * Elementwise `a >= b` with broadcasting, on every dtype (operands promoted to a common
 * dtype first). Returns bool; no gradient.
 *
 * @example ge(tensor([1, 2, 3]), 2) // [false, true, true]
 */
export function ge(a: TensorLike, b: TensorLike): Tensor {
  return opScope(() => {
    const [x, y] = binaryOperands(a, b);
    return runKernel('ge', [x, y]);
  });
}

/** Alias of `ge`. */
export const greaterEqual = ge;

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  ge(this: Tensor, b: TensorLike): Tensor { return ge(this, b); },
  greaterEqual(this: Tensor, b: TensorLike): Tensor { return ge(this, b); },
};
