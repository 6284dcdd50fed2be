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

/** PyTorch's SELU constants (Klambauer et al., 2017). */
export const SELU_ALPHA = 1.6732632423543772848170429916717;
export const SELU_SCALE = 1.0507009873554804934193349852946;

/**
 * Scaled ELU: `scale·(x > 0 ? x : alpha·(e^x - 1))` with PyTorch's constants.
 * Gradient: `scale·dy` where `x > 0`, else `scale·alpha·e^x·dy`.
 *
 * @example selu(tensor([0, 1])) // [0, 1.0507]
 */
export function selu(x: TensorLike): Tensor {
  return opScope(() => {
    const t = asFloat(x);
    return composite(
      'selu',
      [t],
      () => where(gt(t, 0), mul(t, SELU_SCALE), mul(expm1(t), SELU_ALPHA * SELU_SCALE)),
      (dy) => [where(gt(t, 0), mul(dy, SELU_SCALE), mul(dy, mul(exp(minimum(t, 0)), SELU_ALPHA * SELU_SCALE)))],
    );
  });
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  selu(this: Tensor): Tensor { return selu(this); },
};
