import { opScope } from '../memory/scope.js';
import type { Tensor } from '../tensor.js';
import { binaryOperands } from './helpers.js';
import { runKernel } from './kernel.js';
import type { TensorLike } from './tensor-factory.js';

/**
 * Elementwise `a != b` with broadcasting, on every dtype (operands promoted to a common
 * dtype first). Returns bool; no gradient.
 *
 * @example ne(tensor([1, 2]), 2) // [true, false]
 */
export function ne(a: TensorLike, b: TensorLike): Tensor {
  return opScope(() => {
    const [x, y] = binaryOperands(a, b);
    return runKernel('ne', [x, y]);
  });
}

/** Alias of `ne`. */
export const notEqual = ne;

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  ne(this: Tensor, b: TensorLike): Tensor { return ne(this, b); },
  notEqual(this: Tensor, b: TensorLike): Tensor { return ne(this, b); },
};
