import { opScope } from '../memory/scope.js';
import { fmtShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { binaryOperands } from './helpers.js';
import { mul } from './mul.js';
import { reshape } from './reshape.js';
import type { TensorLike } from './tensor-factory.js';

/**
 * Outer product of two 1-D tensors: `out[i, j] = a[i]·b[j]` (shape [len(a), len(b)]), as a
 * broadcasting `mul`. Gradient (through mul): `dy·b` summed over j to `a`, `aᵀ·dy` to `b`.
 *
 * @example outer(tensor([1, 2]), tensor([3, 4, 5])) // [[3, 4, 5], [6, 8, 10]]
 */
export function outer(a: TensorLike, b: TensorLike): Tensor {
  return opScope(() => {
    const [x, y] = binaryOperands(a, b);
    if (x.rank !== 1 || y.rank !== 1) {
      throw new Error(`outer: expected two 1-D tensors, got ${fmtShape(x.shape)} and ${fmtShape(y.shape)}`);
    }
    return mul(reshape(x, [x.shape[0]!, 1]), reshape(y, [1, y.shape[0]!]));
  });
}
