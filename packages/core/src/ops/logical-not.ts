import { opScope } from '../memory/scope.js';
import type { Tensor } from '../tensor.js';
import { runKernel } from './kernel.js';
import { toTensor, type TensorLike } from './tensor-factory.js';

/**
 * Elementwise logical negation; any dtype, nonzero counts as true. Returns bool; no gradient.
 * @example logicalNot(tensor([0, 2])) // [true, false]
 */
export function logicalNot(x: TensorLike): Tensor {
  return opScope(() => runKernel('logicalNot', [toTensor(x)]));
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  logicalNot(this: Tensor): Tensor { return logicalNot(this); },
};
