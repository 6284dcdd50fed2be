import { withGrad } from '../autograd/node.js';
import { opScope } from '../memory/scope.js';
import type { Tensor } from '../tensor.js';
import { eq } from './eq.js';
import { ge } from './ge.js';
import { binaryOperands } from './helpers.js';
import { runKernel } from './kernel.js';
import { log } from './log.js';
import { logicalAnd } from './logical-and.js';
import { mul } from './mul.js';
import { sub } from './sub.js';
import { sumToShape } from './sum-to-shape.js';
import type { TensorLike } from './tensor-factory.js';
import { where } from './where.js';

/**
 * Elementwise `a^b` with broadcasting; integer operands stay integer, a fractional scalar
 * exponent promotes to float32 (PyTorch).
 * Gradient (PyTorch): `dy·b·a^(b-1)` to `a` (0 where `b = 0`) and `dy·out·log(a)` to `b`
 * (0 where `a = 0` and `b ≥ 0`).
 *
 * @example pow(tensor([2, 3]), 2) // [4, 9]
 */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  return opScope(() => {
    const [x, y] = binaryOperands(a, b);
    const out = runKernel('pow', [x, y]);
    return withGrad('pow', [x, y], out, (dy) => [
      x.requiresGrad ? sumToShape(where(eq(y, 0), 0, mul(dy, mul(y, pow(x, sub(y, 1))))), x.shape) : null,
      y.requiresGrad ? sumToShape(where(logicalAnd(eq(x, 0), ge(y, 0)), 0, mul(dy, mul(out, log(x)))), y.shape) : null,
    ]);
  });
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  pow(this: Tensor, b: TensorLike): Tensor { return pow(this, b); },
};
