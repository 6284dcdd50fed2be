import { opScope } from '../memory/scope.js';
import type { Tensor } from '../tensor.js';
import { add } from './add.js';
import { composite } from './composite.js';
import { asFloat } from './helpers.js';
import { mul } from './mul.js';
import { sigmoid } from './sigmoid.js';
import { sub } from './sub.js';
import type { TensorLike } from './tensor-factory.js';

/**
 * Sigmoid-weighted linear unit (swish) `x·sigmoid(x)`.
 * Gradient: `dy·s·(1 + x·(1 - s))` with `s = sigmoid(x)`.
 *
 * @example silu(tensor([0, 1])) // [0, 0.7311]
 */
export function silu(x: TensorLike): Tensor {
  return opScope(() => {
    const t = asFloat(x);
    return composite(
      'silu',
      [t],
      () => mul(t, sigmoid(t)),
      (dy) => {
        const s = sigmoid(t);
        return [mul(dy, mul(s, add(mul(t, sub(1, s)), 1)))];
      },
    );
  });
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  silu(this: Tensor): Tensor { return silu(this); },
};
