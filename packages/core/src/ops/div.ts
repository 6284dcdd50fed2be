import { withGrad } from '../autograd/node.js';
import { opScope } from '../memory/scope.js';
import type { Tensor } from '../tensor.js';
import { toFloatDType } from '../dtypes.js';
import { binaryOperands, castTo } from './helpers.js';
import { runKernel } from './kernel.js';
import { mul } from './mul.js';
import { neg } from './neg.js';
import { sumToShape } from './sum-to-shape.js';
import type { TensorLike } from './tensor-factory.js';

/**
 * Elementwise true division `a / b` with broadcasting; integer inputs give float32 (PyTorch).
 * Gradient: `dy/b` to `a` and `-dy·a/b²` to `b`.
 *
 * @example div(tensor([1, 2]), 2) // [0.5, 1]
 */
export function div(a: TensorLike, b: TensorLike): Tensor {
  return opScope(() => {
    const [x0, y0] = binaryOperands(a, b);
    const dt = toFloatDType(x0.dtype);
    const x = castTo(x0, dt);
    const y = castTo(y0, dt);
    const out = runKernel('div', [x, y]);
    return withGrad('div', [x, y], out, (dy) => [
      x.requiresGrad ? sumToShape(div(dy, y), x.shape) : null,
      y.requiresGrad ? sumToShape(neg(mul(dy, div(out, y))), y.shape) : null,
    ]);
  });
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  div(this: Tensor, b: TensorLike): Tensor { return div(this, b); },
};
