import { opScope } from '../memory/scope.js';
import { fmtShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { binaryOperands } from './helpers.js';
import { matmul } from './matmul.js';
import type { TensorLike } from './tensor-factory.js';

/**
 * Inner product of two 1-D tensors of equal length (rank-0 result), via `matmul`.
 * Gradient (through matmul): `dy·b` to `a` and `dy·a` to `b`.
 *
 * @example dot(tensor([1, 2, 3]), tensor([4, 5, 6])) // 32
 */
export function dot(a: TensorLike, b: TensorLike): Tensor {
  return opScope(() => {
    const [x, y] = binaryOperands(a, b);
    if (x.rank !== 1 || y.rank !== 1 || x.shape[0] !== y.shape[0]) {
      throw new Error(`dot: expected two 1-D tensors of equal length, got ${fmtShape(x.shape)} and ${fmtShape(y.shape)}`);
    }
    return matmul(x, y);
  });
}
