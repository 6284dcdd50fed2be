import { opScope } from '../memory/scope.js';
import type { Tensor } from '../tensor.js';
import { composite } from './composite.js';
import { gt } from './gt.js';
import { asFloat } from './helpers.js';
import { mul } from './mul.js';
import type { TensorLike } from './tensor-factory.js';
import { where } from './where.js';

/**
 * Elementwise `x > 0 ? x : negativeSlope·x`. Gradient: `dy` where `x > 0`, else `negativeSlope·dy`.
 * @example leakyRelu(tensor([-10, 2]), 0.1) // [-1, 2]
 */
export function leakyRelu(x: TensorLike, negativeSlope = 0.01): Tensor {
  return opScope(() => {
    const t = asFloat(x);
    return composite(
      'leakyRelu',
      [t],
      () => where(gt(t, 0), t, mul(t, negativeSlope)),
      (dy) => [where(gt(t, 0), dy, mul(dy, negativeSlope))],
    );
  });
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  leakyRelu(this: Tensor, negativeSlope?: number): Tensor { return leakyRelu(this, negativeSlope); },
};
