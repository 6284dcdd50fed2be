import { withGrad } from '../autograd/node.js';
import { opScope } from '../memory/scope.js';
import { normAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { div } from './div.js';
import { exp } from './exp.js';
import { asFloat } from './helpers.js';
import { mul } from './mul.js';
import { reduceRaw, untracked } from './reduce-util.js';
import { reshape } from './reshape.js';
import { sub } from './sub.js';
import { reducedShape, sum } from './sum.js';
import type { TensorLike } from './tensor-factory.js';

/**
 * `exp(x)/Σ exp(x)` along `axis` (last by default), computed stably by subtracting the slice
 * maximum first. Integer inputs give float32.
 * Gradient: `y·(dy − Σ dy·y)` along `axis` (y = the output; differentiable again).
 *
 * @example softmax(tensor([1000, 1000])) // [0.5, 0.5]
 */
export function softmax(x: TensorLike, axis = -1): Tensor {
  return opScope(() => {
    const t = asFloat(x);
    if (t.rank === 0) {
      normAxis(axis, 0, 'softmax');
      return reshape(softmax(reshape(t, [1]), 0), []);
    }
    const a = normAxis(axis, t.rank, 'softmax');
    const out = untracked(() => {
      const m = reshape(reduceRaw('max', t, [a]), reducedShape(t.shape, [a], true));
      const e = exp(sub(t, m));
      return div(e, sum(e, a, true));
    });
    return withGrad('softmax', [t], out, (dy) => [mul(out, sub(dy, sum(mul(dy, out), a, true)))]);
  });
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  /** Softmax along `axis` (last by default); see `softmax`. */
  softmax(this: Tensor, axis?: number): Tensor { return softmax(this, axis); },
};
