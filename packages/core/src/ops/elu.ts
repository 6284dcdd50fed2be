import { opScope } from '../memory/scope.js';
import type { Tensor } from '../tensor.js';
import { composite } from './composite.js';
import { exp } from './exp.js';
import { expm1 } from './expm1.js';
import { gt } from './gt.js';
import { asFloat } from './helpers.js';
import { minimum } from './minimum.js';
import { mul } from './mul.js';
import type { TensorLike } from './tensor-factory.js';
import { where } from './where.js';

/**
 * Elementwise `x > 0 ? x : alpha·(e^x - 1)`.
 * Gradient: `dy` where `x > 0`, else `alpha·e^x·dy` (from `e^min(x,0)`, which never overflows).
 *
 * @example elu(tensor([-1, 2])) // [-0.6321, 2]
 */
export function elu(x: TensorLike, alpha = 1): Tensor {
  return opScope(() => {
    const t = asFloat(x);
    return composite(
      'elu',
      [t],
      () => where(gt(t, 0), t, mul(expm1(t), alpha)),
      (dy) => [where(gt(t, 0), dy, mul(dy, mul(exp(minimum(t, 0)), alpha)))],
    );
  });
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  elu(this: Tensor, alpha?: number): Tensor { return elu(this, alpha); },
};
