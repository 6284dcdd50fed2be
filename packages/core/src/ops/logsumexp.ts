import { withGrad } from '../autograd/node.js';
import { opScope } from '../memory/scope.js';
import { normAxes } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { add } from './add.js';
import { exp } from './exp.js';
import { asFloat } from './helpers.js';
import { log } from './log.js';
import { mul } from './mul.js';
import { finiteOrZero, reduceRaw, untracked } from './reduce-util.js';
import { reshape } from './reshape.js';
import { sub } from './sub.js';
import { reducedShape, sum } from './sum.js';
import type { TensorLike } from './tensor-factory.js';
import type { Axes } from '../methods/declarations.js';

/**
 * `log(Σ exp(x))` over `axes` (all by default), computed stably as
 * `m + log(Σ exp(x − m))` with `m` the slice maximum (a slice of all −∞ gives −∞, one
 * holding +∞ gives +∞). Integer inputs give float32.
 * Gradient: `dy·softmax(x)` over the reduced axes, i.e. `dy·exp(x − out)` (differentiable again).
 *
 * @example logsumexp(tensor([1000, 1000])) // 1000.6931 (no overflow)
 */
export function logsumexp(x: TensorLike, axes?: number | readonly number[], keepDims = false): Tensor {
  return opScope(() => {
    const t = asFloat(x);
    const ax = normAxes(axes, t.rank, 'logsumexp');
    const kept = reducedShape(t.shape, ax, true);
    const out = untracked(() => {
      const m = finiteOrZero(reshape(reduceRaw('max', t, ax), kept));
      const r = add(log(sum(exp(sub(t, m)), ax, true)), m);
      return keepDims ? r : reshape(r, reducedShape(t.shape, ax, false));
    });
    return withGrad('logsumexp', [t], out, (dy) => {
      const outKept = reshape(out, kept);
      return [mul(reshape(dy, kept), exp(sub(t, outKept)))];
    });
  });
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  /** Stable log-sum-exp over `axes`; see `logsumexp`. */
  logsumexp(this: Tensor, axes?: Axes, keepDims?: boolean): Tensor { return logsumexp(this, axes, keepDims); },
};
