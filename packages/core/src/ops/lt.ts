import { opScope } from '../memory/scope.js';
import type { Tensor } from '../tensor.js';
import { binaryOperands } from './helpers.js';
import { runKernel } from './kernel.js';
import type { TensorLike } from './tensor-factory.js';

/**
 * Elementwise `a < b` with broadcasting, on every dtype (operands promoted to a common
 * dtype first). Returns bool; no gradient.
 *
 * @example lt(tensor([1, 2, 3]), 2) // [true, false, false]
 */
export function lt(a: TensorLike, b: TensorLike): Tensor {
  return opScope(() => {
    const [x, y] = binaryOperands(a, b);
    return runKernel('lt', [x, y]);
  });
}

/** Alias of `lt`. */
export const less = lt;

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  lt(this: Tensor, b: TensorLike): Tensor { return lt(this, b); },
  less(this: Tensor, b: TensorLike): Tensor { return lt(this, b); },
};
