import { withGrad } from '../autograd/node.js';
import { opScope } from '../memory/scope.js';
import { normAxes } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { broadcastTo } from './broadcast-to.js';
import { div } from './div.js';
import { asFloat } from './helpers.js';
import { sliceSize, untracked } from './reduce-util.js';
import { reshape } from './reshape.js';
import { reducedShape, sum } from './sum.js';
import type { TensorLike } from './tensor-factory.js';
import type { Axes } from '../methods/declarations.js';

/**
 * Arithmetic mean over `axes` (all by default), optionally keeping reduced dims. Integer and
 * bool inputs give float32 (PyTorch requires a float input; mapnn promotes). An empty slice
 * gives NaN.
 * Gradient: `dy/n` broadcast back over the reduced axes (n = elements per slice).
 *
 * @example mean(tensor([[1, 2], [3, 5]]), 1) // [1.5, 4]
 */
export function mean(x: TensorLike, axes?: number | readonly number[], keepDims = false): Tensor {
  return opScope(() => {
    const t = asFloat(x);
    const ax = normAxes(axes, t.rank, 'mean');
    const kept = reducedShape(t.shape, ax, true);
    const n = sliceSize(t.shape, ax);
    const out = untracked(() => div(sum(t, ax, keepDims), n));
    return withGrad('mean', [t], out, (dy) => [div(broadcastTo(reshape(dy, kept), t.shape), n)]);
  });
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  /** Mean over `axes` (all by default); see `mean`. */
  mean(this: Tensor, axes?: Axes, keepDims?: boolean): Tensor { return mean(this, axes, keepDims); },
};
