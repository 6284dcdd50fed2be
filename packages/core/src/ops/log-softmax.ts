import { withGrad } from '../autograd/node.js';
import { opScope } from '../memory/scope.js';
import { normAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { exp } from './exp.js';
import { asFloat } from './helpers.js';
import { log } from './log.js';
import { mul } from './mul.js';
import { finiteOrZero, reduceRaw, untracked } from './reduce-util.js';
import { reshape } from './reshape.js';
import { sub } from './sub.js';
import { reducedShape, sum } from './sum.js';
import type { TensorLike } from './tensor-factory.js';

/**
 * `x − logsumexp(x)` along `axis` (last by default): the log of `softmax`, computed stably
 * (no `log(0)` for very negative logits). Integer inputs give float32.
 * Gradient: `dy − softmax(x)·Σ dy` along `axis` (softmax = exp(out); differentiable again).
 *
 * @example logSoftmax(tensor([0, 0])) // [-0.6931, -0.6931]
 */
export function logSoftmax(x: TensorLike, axis = -1): Tensor {
  return opScope(() => {
    const t = asFloat(x);
    if (t.rank === 0) {
      normAxis(axis, 0, 'logSoftmax');
      return reshape(logSoftmax(reshape(t, [1]), 0), []);
    }
    const a = normAxis(axis, t.rank, 'logSoftmax');
    const out = untracked(() => {
      const m = finiteOrZero(reshape(reduceRaw('max', t, [a]), reducedShape(t.shape, [a], true)));
      const shifted = sub(t, m);
      return sub(shifted, log(sum(exp(shifted), a, true)));
    });
    return withGrad('logSoftmax', [t], out, (dy) => [sub(dy, mul(exp(out), sum(dy, a, true)))]);
  });
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  /** Log-softmax along `axis` (last by default); see `logSoftmax`. */
  logSoftmax(this: Tensor, axis?: number): Tensor { return logSoftmax(this, axis); },
};
