import { withGrad } from '../autograd/node.js';
import { opScope } from '../memory/scope.js';
import type { Tensor } from '../tensor.js';
import { ge } from './ge.js';
import { gt } from './gt.js';
import { binaryOperands, castTo } from './helpers.js';
import { runKernel } from './kernel.js';
import { le } from './le.js';
import { logicalAnd } from './logical-and.js';
import { logicalOr } from './logical-or.js';
import { lt } from './lt.js';
import { sumToShape } from './sum-to-shape.js';
import { toTensor, type TensorLike } from './tensor-factory.js';
import { where } from './where.js';

/**
 * Clamps every element to `[min, max]` (PyTorch `clamp`): `min(max(x, min), max)`, so `max`
 * wins when `min > max`. `min`/`max` are numbers or broadcastable tensors, either may be omitted
 * (not both); operands are promoted to a common dtype. NaN stays NaN.
 * Gradient (PyTorch): to `x` where `min ≤ x ≤ max`; to `min` where `x < min` (and `min < max`);
 * to `max` where `x > max` (or `max < min`).
 *
 * @example clip(tensor([-2, 0.5, 3]), 0, 1) // [0, 0.5, 1]
 */
export function clip(x: TensorLike, min?: TensorLike | null, max?: TensorLike | null): Tensor {
  if (min == null && max == null) throw new Error("clip: at least one of 'min' or 'max' must be given");
  return opScope(() => {
    let t = toTensor(x);
    let lo: Tensor | null = null;
    let hi: Tensor | null = null;
    if (min != null) [t, lo] = binaryOperands(t, min);
    if (max != null) [t, hi] = binaryOperands(t, max);
    if (lo) lo = castTo(lo, t.dtype);
    const low = lo ? runKernel('maximum', [t, lo]) : t;
    const out = hi ? runKernel('minimum', [low, hi]) : low;
    const inputs = [t, lo, hi].filter((v): v is Tensor => v !== null);
    return withGrad('clip', inputs, out, (dy) => {
      const grads: (Tensor | null)[] = [];
      if (t.requiresGrad) {
        const inRange = lo && hi ? logicalAnd(ge(t, lo), le(t, hi)) : lo ? ge(t, lo) : le(t, hi!);
        grads.push(sumToShape(where(inRange, dy, 0), t.shape));
      } else grads.push(null);
      if (lo) {
        const below = hi ? logicalAnd(lt(t, lo), lt(lo, hi)) : lt(t, lo);
        grads.push(lo.requiresGrad ? sumToShape(where(below, dy, 0), lo.shape) : null);
      }
      if (hi) {
        const above = lo ? logicalOr(gt(t, hi), lt(hi, lo)) : gt(t, hi);
        grads.push(hi.requiresGrad ? sumToShape(where(above, dy, 0), hi.shape) : null);
      }
      return grads;
    });
  });
}

/** Alias of `clip` (PyTorch's name). */
export const clamp = clip;

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  clip(this: Tensor, min?: TensorLike | null, max?: TensorLike | null): Tensor { return clip(this, min, max); },
  clamp(this: Tensor, min?: TensorLike | null, max?: TensorLike | null): Tensor { return clip(this, min, max); },
};
