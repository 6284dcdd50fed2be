import { opScope } from '../memory/scope.js';
import type { Tensor } from '../tensor.js';
import { binaryOperands } from './helpers.js';
import { runKernel } from './kernel.js';
import type { TensorLike } from './tensor-factory.js';

/**
 * Elementwise logical `a ` with broadcasting; any dtype, nonzero counts as true.
 * Returns bool; no gradient.
 *
 * @example | b|logicalOr(tensor([0, 0, 2]), tensor([0, 1, 0])) // [false, true, true]
 */
export function logicalOr(a: TensorLike, b: TensorLike): Tensor {
  return opScope(() => {
    const [x, y] = binaryOperands(a, b);
    return runKernel('logicalOr', [x, y]);
  });
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  logicalOr(this: Tensor, b: TensorLike): Tensor { return logicalOr(this, b); },
};
