import { withGrad } from '../autograd/node.js';
import { opScope } from '../memory/scope.js';
import type { Tensor } from '../tensor.js';
import { binaryOperands } from './helpers.js';
import { runKernel } from './kernel.js';
import { sumToShape } from './sum-to-shape.js';
import { toTensor, type TensorLike } from './tensor-factory.js';

/**
 * Elementwise `cond ? a : b` with broadcasting of all three; `cond` is cast to bool (nonzero is
 * true), `a` and `b` are promoted to a common dtype.
 * Gradient: `dy` where `cond` to `a`, where not `cond` to `b`, each summed to its shape.
 *
 * @example where(tensor([true, false]), tensor([1, 2]), 0) // [1, 0]
 */
export function where(cond: TensorLike, a: TensorLike, b: TensorLike): Tensor {
  return opScope(() => {
    const c0 = toTensor(cond);
    const c = c0.dtype === 'bool' ? c0 : runKernel('cast', [c0], { dtype: 'bool' });
    const [x, y] = binaryOperands(a, b);
    const out = runKernel('where', [c, x, y], {}, x.dtype);
    return withGrad('where', [x, y], out, (dy) => [
      x.requiresGrad ? sumToShape(where(c, dy, 0), x.shape) : null,
      y.requiresGrad ? sumToShape(where(c, 0, dy), y.shape) : null,
    ]);
  });
}
