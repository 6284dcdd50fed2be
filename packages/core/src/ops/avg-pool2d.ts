import { opScope } from '../memory/scope.js';
import type { Tensor } from '../tensor.js';
import { asFloat } from './helpers.js';
import { mul } from './mul.js';
import { checkPoolInput, poolGeometry, poolUnfold, type Pool2dOptions, type PoolDim } from './pool-utils.js';
import { reshape } from './reshape.js';
import { sum } from './sum.js';
import { fromStorage, type TensorLike } from './tensor-factory.js';
import { unfold2d } from './unfold2d.js';
import { fromNumbers } from '../dtypes.js';

/** Options of `avgPool2d`. */
export interface AvgPool2dOptions extends Pool2dOptions {
  /** Whether padded zeros count in the divisor (default true). */
  countIncludePad?: boolean;
  /** A fixed divisor instead of the window size. */
  divisorOverride?: number;
}

/** Per-output-position window sizes along one dim, as PyTorch's avg_pool counts them. */
function counts(n: number, g: PoolDim, includePad: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < g.out; i++) {
    const start = i * g.s - g.p;
    const end = Math.min(start + g.k, n + g.p);
    const withPad = end - start;
    const inside = Math.min(end, n) - Math.max(start, 0);
    out.push(includePad ? withPad : inside);
  }
  return out;
}

/**
 * 2-D average pooling (PyTorch's `F.avg_pool2d`) of `x` [N, C, H, W] (or unbatched
 * [C, H, W]). Stride defaults to `kernelSize`. With `countIncludePad` (default) the padded
 * zeros count in the divisor, except the part of a ceil-mode window beyond the padding, as in
 * PyTorch; `divisorOverride` fixes the divisor. Computed as `unfold2d` + `sum` + scaling.
 * Gradient: through those ops (each window's gradient spread evenly over it).
 *
 * @example avgPool2d(x, { kernelSize: 2 }) // x [1,3,8,8] → [1,3,4,4]
 */
export function avgPool2d(x: TensorLike, opts: AvgPool2dOptions): Tensor {
  return opScope(() => {
    const t0 = asFloat(x);
    const unbatched = checkPoolInput(t0, 'avgPool2d');
    const t = unbatched ? reshape(t0, [1, ...t0.shape]) : t0;
    const [N, C, H, W] = t.shape as [number, number, number, number];
    const [gh, gw] = poolGeometry(H, W, opts, 'avgPool2d');
    const cols = unfold2d(t, poolUnfold(gh, gw, 0));
    const s = sum(reshape(cols, [N, C, gh.k * gw.k, gh.out, gw.out]), 2);
    const include = opts.countIncludePad ?? true;
    const ch = counts(H, gh, include);
    const cw = counts(W, gw, include);
    const inv = new Float64Array(gh.out * gw.out);
    for (let i = 0; i < gh.out; i++) {
      for (let j = 0; j < gw.out; j++) inv[i * gw.out + j] = 1 / (opts.divisorOverride ?? ch[i]! * cw[j]!);
    }
    const y = mul(s, fromStorage(fromNumbers(inv, t.dtype), [gh.out, gw.out], t.dtype, 'avgPool2d'));
    return unbatched ? reshape(y, y.shape.slice(1)) : y;
  });
}
