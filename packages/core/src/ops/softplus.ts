import { opScope } from '../memory/scope.js';
import type { Tensor } from '../tensor.js';
import { abs } from './abs.js';
import { add } from './add.js';
import { composite } from './composite.js';
import { div } from './div.js';
import { exp } from './exp.js';
import { gt } from './gt.js';
import { asFloat } from './helpers.js';
import { log1p } from './log1p.js';
import { mul } from './mul.js';
import { neg } from './neg.js';
import { relu } from './relu.js';
import { sigmoid } from './sigmoid.js';
import type { TensorLike } from './tensor-factory.js';
import { where } from './where.js';

/**
 * Elementwise `log(1 + e^(beta·x))/beta` (PyTorch semantics): linear (`x`) where
 * `beta·x > threshold`, otherwise computed stably as `(max(bx, 0) + log1p(e^-|bx|))/beta`.
 * Gradient: `dy` above the threshold, else `dy·sigmoid(beta·x)`.
 *
 * @example softplus(tensor([0, 30])) // [0.6931, 30]
 */
export function softplus(x: TensorLike, beta = 1, threshold = 20): Tensor {
  return opScope(() => {
    const t = asFloat(x);
    return composite(
      'softplus',
      [t],
      () => {
        const bx = mul(t, beta);
        const stable = div(add(relu(bx), log1p(exp(neg(abs(bx))))), beta);
        return where(gt(bx, threshold), t, stable);
      },
      (dy) => {
        const bx = mul(t, beta);
        return [where(gt(bx, threshold), dy, mul(dy, sigmoid(bx)))];
      },
    );
  });
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  softplus(this: Tensor, beta?: number, threshold?: number): Tensor { return softplus(this, beta, threshold); },
};
