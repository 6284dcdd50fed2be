import { withGrad } from '../autograd/node.js';
import { opScope } from '../memory/scope.js';
import type { Tensor } from '../tensor.js';
import { div } from './div.js';
import { floor } from './floor.js';
import { binaryOperands } from './helpers.js';
import { runKernel } from './kernel.js';
import { mul } from './mul.js';
import { neg } from './neg.js';
import { sumToShape } from './sum-to-shape.js';
import type { TensorLike } from './tensor-factory.js';

/**
 * Elementwise floor-modulo `a - floor(a/b)·b` with broadcasting: the result has the sign of
 * `b` (Python `%`, PyTorch `remainder`).
 * Gradient: `dy` to `a` and `-floor(a/b)·dy` to `b`.
 *
 * @example mod(tensor([5, -5]), 3) // [2, 1]
 */
export function mod(a: TensorLike, b: TensorLike): Tensor {
  return opScope(() => {
    const [x, y] = binaryOperands(a, b);
    const out = runKernel('mod', [x, y]);
    return withGrad('mod', [x, y], out, (dy) => [
      x.requiresGrad ? sumToShape(dy, x.shape) : null,
      y.requiresGrad ? sumToShape(neg(mul(dy, floor(div(x, y)))), y.shape) : null,
    ]);
  });
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  mod(this: Tensor, b: TensorLike): Tensor { return mod(this, b); },
};
