import { opScope } from '../memory/scope.js';
import type { Tensor } from '../tensor.js';
import { abs } from './abs.js';
import { add } from './add.js';
import { composite } from './composite.js';
import { exp } from './exp.js';
import { ge } from './ge.js';
import { asFloat } from './helpers.js';
import { hasKernel, runKernel } from './kernel.js';
import { mul } from './mul.js';
import { neg } from './neg.js';
import { reciprocal } from './reciprocal.js';
import { sub } from './sub.js';
import type { TensorLike } from './tensor-factory.js';
import { where } from './where.js';

/**
 * Elementwise logistic `1/(1 + e^-x)`, computed from `e^-|x|` so it never overflows. Uses the
 * backend's optional `sigmoid` kernel when it has one, else composes it from primitives.
 * Gradient: `dy·out·(1 - out)` (differentiable again).
 *
 * @example sigmoid(tensor([0, 1000, -1000])) // [0.5, 1, 0]
 */
export function sigmoid(x: TensorLike): Tensor {
  return opScope(() => {
    const t = asFloat(x);
    return composite(
      'sigmoid',
      [t],
      () => {
        if (hasKernel('sigmoid', t.dtype)) return runKernel('sigmoid', [t]);
        const e = exp(neg(abs(t)));
        const r = reciprocal(add(e, 1));
        return where(ge(t, 0), r, mul(e, r));
      },
      (dy, out) => [mul(dy, mul(out, sub(1, out)))],
    );
  });
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  sigmoid(this: Tensor): Tensor { return sigmoid(this); },
};
