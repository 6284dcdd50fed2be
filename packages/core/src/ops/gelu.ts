import { opScope } from '../memory/scope.js';
import type { Tensor } from '../tensor.js';
import { add } from './add.js';
import { composite } from './composite.js';
import { erf } from './erf.js';
import { exp } from './exp.js';
import { asFloat } from './helpers.js';
import { mul } from './mul.js';
import { sub } from './sub.js';
import { tanh } from './tanh.js';
import type { TensorLike } from './tensor-factory.js';

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
const C = 0.044715;

/** `√(2/π)·(x + 0.044715·x³)`, the argument of the tanh approximation. */
function tanhArg(t: Tensor): Tensor {
  return mul(add(t, mul(mul(mul(t, t), t), C)), SQRT_2_OVER_PI);
}

/**
 * Gaussian error linear unit `x·Φ(x)` (PyTorch): exact `0.5·x·(1 + erf(x/√2))`, or with
 * `approximate = 'tanh'` `0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))`.
 * Gradient: `dy·(Φ(x) + x·φ(x))` (exact) or the derivative of the tanh form.
 *
 * @example gelu(tensor([0, 1])) // [0, 0.8413]
 */
export function gelu(x: TensorLike, approximate: 'none' | 'tanh' = 'none'): Tensor {
  if (approximate !== 'none' && approximate !== 'tanh') {
    throw new Error(`gelu: approximate must be 'none' or 'tanh', got '${String(approximate)}'`);
  }
  return opScope(() => {
    const t = asFloat(x);
    if (approximate === 'tanh') {
      return composite(
        'gelu',
        [t],
        () => mul(mul(t, 0.5), add(tanh(tanhArg(t)), 1)),
        (dy) => {
          const th = tanh(tanhArg(t));
          // d/dx = 0.5·(1 + th) + 0.5·x·(1 - th²)·√(2/π)·(1 + 3·0.044715·x²)
          const inner = mul(add(mul(mul(t, t), 3 * C), 1), SQRT_2_OVER_PI);
          const d = add(mul(add(th, 1), 0.5), mul(mul(mul(t, 0.5), sub(1, mul(th, th))), inner));
          return [mul(dy, d)];
        },
      );
    }
    return composite(
      'gelu',
      [t],
      () => mul(mul(t, 0.5), add(erf(mul(t, Math.SQRT1_2)), 1)),
      (dy) => {
        const cdf = mul(add(erf(mul(t, Math.SQRT1_2)), 1), 0.5);
        const pdf = mul(exp(mul(mul(t, t), -0.5)), INV_SQRT_2PI);
        return [mul(dy, add(cdf, mul(t, pdf)))];
      },
    );
  });
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  gelu(this: Tensor, approximate?: 'none' | 'tanh'): Tensor { return gelu(this, approximate); },
};
