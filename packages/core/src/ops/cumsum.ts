import { withGrad } from '../autograd/node.js';
import { opScope } from '../memory/scope.js';
import { normAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { castTo } from './helpers.js';
import { hasKernel, runKernel } from './kernel.js';
import { matmul } from './matmul.js';
import { untracked } from './reduce-util.js';
import { reshape } from './reshape.js';
import { fromStorage, toTensor, type TensorLike } from './tensor-factory.js';
import { transpose } from './transpose.js';

/**
 * Cumulative sum along `axis`: `out[…, j, …] = Σ_{i ≤ j} x[…, i, …]`. Integer and bool
 * inputs sum in int64 as in PyTorch.
 * Gradient: the reverse cumulative sum of `dy` (`Σ_{j ≥ i} dy[j]`), itself differentiable
 * (its gradient is the forward cumsum again).
 *
 * Computed as a log-step (Hillis–Steele) scan of shifted adds from the `slice`/`pad`/`add`
 * kernels, O(n log n) per slice; a backend without `slice`/`pad` for the dtype multiplies by a
 * triangular ones matrix instead (the triangle on the left, so that backends which skip zero
 * coefficients keep ±∞ and NaN exact).
 *
 * @example cumsum(tensor([1, 2, 3, 4]), 0) // [1, 3, 6, 10]
 */
export function cumsum(x: TensorLike, axis: number): Tensor {
  return opScope(() => {
    let t = toTensor(x);
    if (t.dtype === 'bool' || t.dtype === 'int8' || t.dtype === 'uint8' || t.dtype === 'int32') t = castTo(t, 'int64');
    if (t.rank === 0) {
      normAxis(axis, 0, 'cumsum');
      return reshape(scan(reshape(t, [1]), 0, false), []);
    }
    return scan(t, normAxis(axis, t.rank, 'cumsum'), false);
  });
}

/** Inclusive prefix sum along `axis` (suffix sum when `reverse`), differentiable. */
function scan(t: Tensor, axis: number, reverse: boolean): Tensor {
  return opScope(() => {
    const out = untracked(() => scanForward(t, axis, reverse));
    return withGrad('cumsum', [t], out, (dy) => [scan(dy, axis, !reverse)]);
  });
}

function scanForward(t: Tensor, axis: number, reverse: boolean): Tensor {
  const n = t.shape[axis]!;
  if (n <= 1 || t.size === 0) return runKernel('cast', [t], { dtype: t.dtype });
  if (hasKernel('slice', t.dtype) && hasKernel('pad', t.dtype)) {
    let acc = t;
    const begin = t.shape.map(() => 0);
    const step = t.shape.map(() => 1);
    for (let s = 1; s < n; s *= 2) {
      const size = [...t.shape];
      size[axis] = n - s;
      const b = [...begin];
      b[axis] = reverse ? s : 0;
      const part = runKernel('slice', [acc], { begin: b, size, step });
      const pads = t.shape.flatMap((_, d) => (d === axis ? (reverse ? [0, s] : [s, 0]) : [0, 0]));
      const shifted = runKernel('pad', [part], { pads, mode: 'constant', value: 0 });
      acc = runKernel('add', [acc, shifted]);
    }
    return acc;
  }
  // Fallback: out = T · x with x's axis moved to the front and flattened to [n, rest].
  const perm = [axis, ...t.shape.map((_, i) => i).filter((i) => i !== axis)];
  const moved = transpose(t, perm);
  const rows = reshape(moved, [n, t.size / n]);
  const tri = new Float32Array(n * n);
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) if (reverse ? i >= j : i <= j) tri[j * n + i] = 1;
  const T = castTo(fromStorage(tri, [n, n], 'float32'), t.dtype);
  const summed = castTo(matmul(T, rows), t.dtype);
  const inv = new Array<number>(perm.length);
  perm.forEach((d, i) => (inv[d] = i));
  return transpose(reshape(summed, moved.shape), inv);
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  /** Cumulative sum along `axis`; see `cumsum`. */
  cumsum(this: Tensor, axis: number): Tensor { return cumsum(this, axis); },
};
