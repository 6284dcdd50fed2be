import type { DType } from '../dtypes.js';
import { opScope } from '../memory/scope.js';
import type { Tensor } from '../tensor.js';
import { castTo } from './helpers.js';
import { runKernel } from './kernel.js';
import { toTensor, type TensorLike } from './tensor-factory.js';

/**
 * Converts to `dtype` (float→int truncates toward zero; anything→bool is `!= 0`; values
 * outside int64's exact range throw). Always returns a new tensor.
 * Gradient: cast back to the input's dtype for float inputs; none for integer inputs.
 *
 * @example cast(tensor([1.7, -1.7]), 'int32') // [1, -1]
 */
export function cast(x: TensorLike, dtype: DType): Tensor {
  return opScope(() => {
    const t = toTensor(x);
    if (t.dtype === dtype) return runKernel('cast', [t], { dtype });
    return castTo(t, dtype);
  });
}
