import { withGrad } from '../autograd/node.js';
import { opScope } from '../memory/scope.js';
import { normAxes } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { div } from './div.js';
import { asFloat } from './helpers.js';
import { mean } from './mean.js';
import { mul } from './mul.js';
import { sliceSize, untracked } from './reduce-util.js';
import { reshape } from './reshape.js';
import { sub } from './sub.js';
import { reducedShape, sum } from './sum.js';
import type { TensorLike } from './tensor-factory.js';

import type { Axes, VarianceOptions } from '../methods/declarations.js';
export type { VarianceOptions };

/** @internal Divisor `max(0, n − correction)` of a variance over `axes` of `shape` (as PyTorch). */
export function varianceDivisor(shape: readonly number[], axes: readonly number[], correction: number): number {
  return Math.max(0, sliceSize(shape, axes) - correction);
}

/**
 * Variance over `axes` (all by default): `Σ (x − mean)² / (n − correction)`, with
 * `correction = 1` (unbiased) by default as PyTorch. A divisor ≤ 0 gives Inf/NaN, as PyTorch.
 * Integer inputs give float32. Method name: `x.var()`.
 * Gradient: `dy·2(x − mean)/(n − correction)` (differentiable again).
 *
 * @example variance(tensor([1, 2, 3, 4]))                    // 1.6667
 * @example variance(tensor([1, 2, 3, 4]), 0, { correction: 0 }) // 1.25
 */
export function variance(x: TensorLike, axes?: number | readonly number[], options: VarianceOptions = {}): Tensor {
  const { correction = 1, keepDims = false } = options;
  return opScope(() => {
    const t = asFloat(x);
    const ax = normAxes(axes, t.rank, 'variance');
    const kept = reducedShape(t.shape, ax, true);
    const divisor = varianceDivisor(t.shape, ax, correction);
    const out = untracked(() => {
      const d = sub(t, mean(t, ax, true));
      return div(sum(mul(d, d), ax, keepDims), divisor);
    });
    return withGrad('variance', [t], out, (dy) => [
      mul(reshape(dy, kept), div(mul(sub(t, mean(t, ax, true)), 2), divisor)),
    ]);
  });
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  /** Variance over `axes` (unbiased by default); see `variance`. */
  var(this: Tensor, axes?: Axes, options?: VarianceOptions): Tensor { return variance(this, axes, options); },
};
