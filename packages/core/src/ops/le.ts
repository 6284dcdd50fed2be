import { opScope } from '../memory/scope.js';
import type { Tensor } from '../tensor.js';
import { binaryOperands } from './helpers.js';
import { runKernel } from './kernel.js';
import type { TensorLike } from './tensor-factory.js';

/**
 * Elementwise `a <= b` with broadcasting, on every dtype (operands promoted to a common
 * dtype first). Returns bool; no gradient.
 *
 * @example le(tensor([1, 2, 3]), 2) // [true, true, false]
 */
export function le(a: TensorLike, b: TensorLike): Tensor {
  return opScope(() => {
    const [x, y] = binaryOperands(a, b);
    return runKernel('le', [x, y]);
  });
}

/** Alias of `le`. */
export const lessEqual = le;

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  le(this: Tensor, b: TensorLike): Tensor { return le(this, b); },
  lessEqual(this: Tensor, b: TensorLike): Tensor { return le(this, b); },
};
