import { opScope } from '../memory/scope.js';
import type { Tensor } from '../tensor.js';
import { binaryOperands } from './helpers.js';
import { runKernel } from './kernel.js';
import type { TensorLike } from './tensor-factory.js';

/**
 * Elementwise logical `a xor b` with broadcasting; any dtype, nonzero counts as true.
 * Returns bool; no gradient.
 *
 * @example logicalXor(tensor([true, true]), tensor([true, false])) // [false, true]
 */
export function logicalXor(a: TensorLike, b: TensorLike): Tensor {
  return opScope(() => {
    const [x, y] = binaryOperands(a, b);
    return runKernel('logicalXor', [x, y]);
  });
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  logicalXor(this: Tensor, b: TensorLike): Tensor { return logicalXor(this, b); },
};
