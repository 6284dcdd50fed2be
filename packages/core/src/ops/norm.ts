import { withGrad } from '../autograd/node.js';
import { opScope } from '../memory/scope.js';
import { normAxes } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { abs } from './abs.js';
import { add } from './add.js';
import { pow } from './pow.js';
import { zeros } from './creation.js';
import { div } from './div.js';
import { asFloat } from './helpers.js';
import { runKernel } from './kernel.js';
import { mul } from './mul.js';
import { maskOf, reduceRaw, signOf, tiedGrad, untracked } from './reduce-util.js';
import { reshape } from './reshape.js';
import { reducedShape, sum } from './sum.js';
import type { TensorLike } from './tensor-factory.js';
import type { Axes } from '../methods/declarations.js';

/**
 * Vector norm over `axes` (all elements by default, treated as one vector), optionally keeping
 * reduced dims: `ord = 2` (Euclidean, default), `1` (Σ|x|), `Infinity` (max |x|) or
 * `-Infinity` (min |x|), or any other p > 0 as (Σ|x|^p)^(1/p). Integer inputs give float32.
 *
 * Gradients (differentiable again):
 * - `ord = 2`: `dy·x/‖x‖`, and 0 where the norm is 0 (a subgradient, where PyTorch gives NaN);
 * - `ord = 1`: `dy·sign(x)`;
 * - `ord = ±Infinity`: `dy·sign(x)` split evenly among the elements attaining the extremum.
 *
 * @example norm(tensor([3, 4]))            // 5
 * @example norm(tensor([[3, -4]]), 1, 1)    // [7]
 */
export function norm(x: TensorLike, ord = 2, axes?: number | readonly number[], keepDims = false): Tensor {
  return opScope(() => {
    const t = asFloat(x);
    const ax = normAxes(axes, t.rank, 'norm');
    const kept = reducedShape(t.shape, ax, true);
    if (ord !== 1 && ord !== 2 && ord !== Infinity && ord !== -Infinity) {
      if (!(ord > 0) || !Number.isFinite(ord)) throw new Error(`norm: ord ${ord} is not supported (use a positive number or ±Infinity)`);
      // general p-norm (Σ|x|^p)^(1/p), differentiated through its composition
      return pow(sum(pow(abs(t), ord), ax, keepDims), 1 / ord);
    }
    if (ord === 2) {
      const out = untracked(() => runKernel('sqrt', [sum(mul(t, t), ax, keepDims)]));
      return withGrad('norm', [t], out, (dy) => {
        const n = reshape(out, kept);
        const safe = add(n, maskOf('eq', n, 0)); // x is 0 wherever the norm is 0
        return [mul(reshape(dy, kept), div(t, safe))];
      });
    }
    if (ord === 1) {
      const out = untracked(() => sum(runKernel('abs', [t]), ax, keepDims));
      return withGrad('norm', [t], out, (dy) => [mul(reshape(dy, kept), signOf(t))]);
    }
    const op = ord === Infinity ? 'max' : 'min';
    if (ax.some((a) => t.shape[a] === 0) && op === 'min') {
      throw new Error(`norm: ord -Infinity of an empty slice is undefined (shape [${t.shape.join(',')}])`);
    }
    const out = untracked(() => {
      // max |x| over an empty slice is 0 (the kernel's identity would be -Infinity)
      if (ax.some((a) => t.shape[a] === 0)) return zeros(reducedShape(t.shape, ax, keepDims), t.dtype);
      const r = reduceRaw(op, runKernel('abs', [t]), ax);
      return keepDims ? reshape(r, kept) : r;
    });
    return withGrad('norm', [t], out, (dy) => {
      const a = runKernel('abs', [t]);
      return [mul(tiedGrad(dy, a, reshape(out, kept), ax, kept), signOf(t))];
    });
  });
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  /** Vector norm (`ord` 1, 2, ±Infinity) over `axes`; see `norm`. */
  norm(this: Tensor, ord?: number, axes?: Axes, keepDims?: boolean): Tensor { return norm(this, ord, axes, keepDims); },
};
