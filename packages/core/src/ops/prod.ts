import { withGrad } from '../autograd/node.js';
import { isFloat } from '../dtypes.js';
import { opScope } from '../memory/scope.js';
import { normAxes } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { add } from './add.js';
import { div } from './div.js';
import { castTo } from './helpers.js';
import { mul } from './mul.js';
import { maskOf, reduceRaw } from './reduce-util.js';
import { reshape } from './reshape.js';
import { sub } from './sub.js';
import { reducedShape, sum } from './sum.js';
import { toTensor, type TensorLike } from './tensor-factory.js';
import type { Axes } from '../methods/declarations.js';

/**
 * Product over `axes` (all by default), optionally keeping reduced dims. Integer and bool
 * inputs multiply in int64 as in PyTorch; an empty slice gives 1.
 *
 * Gradient: `∂/∂xᵢ = ∏_{j≠i} xⱼ`, computed without dividing by zero. Per slice:
 * - no zero: `dy·out/x`;
 * - exactly one zero: the zero gets `dy·∏(other elements)`, the others 0;
 * - two or more zeros: 0 everywhere (which is exact: every `∏_{j≠i}` still holds a zero).
 * The gradient is written with ops and differentiable again; second derivatives are exact
 * for slices with at most one zero (with two or more zeros they are reported as 0).
 *
 * @example prod(tensor([[1, 2], [3, 4]]), 1) // [2, 12]
 */
export function prod(x: TensorLike, axes?: number | readonly number[], keepDims = false): Tensor {
  return opScope(() => {
    let t = toTensor(x);
    if (t.dtype === 'bool' || t.dtype === 'int8' || t.dtype === 'uint8' || t.dtype === 'int32') t = castTo(t, 'int64');
    const ax = normAxes(axes, t.rank, 'prod');
    const kept = reducedShape(t.shape, ax, true);
    const raw = reduceRaw('prod', t, ax);
    const out = keepDims ? reshape(raw, kept) : raw;
    return withGrad('prod', [t], out, (dy) => [isFloat(t.dtype) ? prodGrad(t, ax, kept, dy) : null]);
  });
}

function prodGrad(t: Tensor, ax: readonly number[], kept: readonly number[], dy: Tensor): Tensor {
  const isZero = maskOf('eq', t, 0); // constant 0/1
  const zeros = sum(isZero, ax, true); // zero count per slice
  const none = maskOf('eq', zeros, 0);
  const one = maskOf('eq', zeros, 1);
  const notZero = sub(1, isZero);
  // x with its zeros replaced by a constant 1 (differentiable in the non-zero elements only)
  const safe = add(mul(t, notZero), isZero);
  const others = prod(safe, ax, true); // product of the non-zero elements
  // The zero itself, as a tensor: 0 in value but carrying ∂/∂x of that element, so that the
  // gradient of the non-zero elements (x_zero·∏others/xᵢ = 0) differentiates correctly.
  const zeroElem = sum(mul(t, isZero), ax, true);
  // slice without zero: others/x; with one zero: 1 at the zero, x_zero·others/xᵢ elsewhere.
  const factor = add(mul(notZero, div(add(none, mul(one, zeroElem)), safe)), mul(one, isZero));
  return mul(mul(reshape(dy, kept), others), factor);
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  /** Product over `axes` (all by default); see `prod`. */
  prod(this: Tensor, axes?: Axes, keepDims?: boolean): Tensor { return prod(this, axes, keepDims); },
};
