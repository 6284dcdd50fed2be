import { withGrad } from '../autograd/node.js';
import { opScope } from '../memory/scope.js';
import { normAxes } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { add } from './add.js';
import { div } from './div.js';
import { asFloat } from './helpers.js';
import { runKernel } from './kernel.js';
import { mean } from './mean.js';
import { mul } from './mul.js';
import { maskOf, untracked } from './reduce-util.js';
import { reshape } from './reshape.js';
import { sub } from './sub.js';
import { reducedShape } from './sum.js';
import type { TensorLike } from './tensor-factory.js';
import { variance, varianceDivisor, type VarianceOptions } from './variance.js';
import type { Axes } from '../methods/declarations.js';

/**
 * Standard deviation over `axes` (all by default): `sqrt(variance(x, axes, options))`,
 * `correction = 1` (unbiased) by default. Integer inputs give float32.
 * Gradient: `dy·(x − mean)/((n − correction)·std)`; a slice with std 0 (all elements equal)
 * gets gradient 0 rather than PyTorch's NaN. Differentiable again.
 *
 * @example std(tensor([2, 4, 4, 4, 5, 5, 7, 9]), undefined, { correction: 0 }) // 2
 */
export function std(x: TensorLike, axes?: number | readonly number[], options: VarianceOptions = {}): Tensor {
  const { correction = 1, keepDims = false } = options;
  return opScope(() => {
    const t = asFloat(x);
    const ax = normAxes(axes, t.rank, 'std');
    const kept = reducedShape(t.shape, ax, true);
    const divisor = varianceDivisor(t.shape, ax, correction);
    const out = untracked(() => runKernel('sqrt', [variance(t, ax, { correction, keepDims })]));
    return withGrad('std', [t], out, (dy) => {
      const s = reshape(out, kept);
      const safe = add(s, maskOf('eq', s, 0)); // std, with 0 replaced by 1 (numerator is 0 there)
      return [mul(reshape(dy, kept), div(sub(t, mean(t, ax, true)), mul(safe, divisor)))];
    });
  });
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  /** Standard deviation over `axes` (unbiased by default); see `std`. */
  std(this: Tensor, axes?: Axes, options?: VarianceOptions): Tensor { return std(this, axes, options); },
};
