import { withGrad } from '../autograd/node.js';
import type { DType } from '../dtypes.js';
import { opScope } from '../memory/scope.js';
import type { Tensor } from '../tensor.js';
import { castTo } from './helpers.js';
import { runKernel } from './kernel.js';
import { toTensor, type TensorLike } from './tensor-factory.js';

/**
 * Converts to `dtype` (float→int truncates toward zero; anything→bool is `!= 0`; values
 * outside int64's exact range throw). Always returns a new tensor, also when `dtype` is the
 * input's own (a copy that stays in the autograd graph).
 * Gradient: the identity for a same-dtype cast; cast back to the input's dtype for a cast
 * between float dtypes; none into or out of integer and bool dtypes (as in PyTorch).
 *
 * @example cast(tensor([1.7, -1.7]), 'int32') // [1, -1]
 */
export function cast(x: TensorLike, dtype: DType): Tensor {
  return opScope(() => {
    const t = toTensor(x);
    if (t.dtype === dtype) return withGrad('cast', [t], runKernel('cast', [t], { dtype }), (dy) => [dy]);
    return castTo(t, dtype);
  });
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  cast(this: Tensor, dtype: DType): Tensor { return cast(this, dtype); },
  float(this: Tensor): Tensor { return cast(this, 'float32'); },
  double(this: Tensor): Tensor { return cast(this, 'float64'); },
  int(this: Tensor): Tensor { return cast(this, 'int32'); },
};
