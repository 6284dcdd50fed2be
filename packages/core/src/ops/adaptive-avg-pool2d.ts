import { fromNumbers } from '../dtypes.js';
import { opScope } from '../memory/scope.js';
import { fmtShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { asFloat } from './helpers.js';
import { matmul } from './matmul.js';
import { fromStorage, type TensorLike } from './tensor-factory.js';

/**
 * The [out, n] averaging matrix of adaptive pooling along one dim: row i averages
 * `[floor(i·n/out), ceil((i+1)·n/out))`, PyTorch's start/end formula.
 */
function poolMatrix(n: number, out: number, dtype: Tensor['dtype'], transpose: boolean): Tensor {
  const m = new Float64Array(out * n);
  for (let i = 0; i < out; i++) {
    const start = Math.floor((i * n) / out);
    const end = Math.ceil(((i + 1) * n) / out);
    for (let j = start; j < end; j++) {
      if (transpose) m[j * out + i] = 1 / (end - start);
      else m[i * n + j] = 1 / (end - start);
    }
  }
  return fromStorage(fromNumbers(m, dtype), transpose ? [n, out] : [out, n], dtype, 'adaptiveAvgPool2d');
}

/**
 * Adaptive 2-D average pooling (PyTorch's `F.adaptive_avg_pool2d`) of `x` [N, C, H, W] (or
 * unbatched [C, H, W]) to `outputSize` (`oh` or `[oh, ow]`; a null entry keeps that dim).
 * Output cell (i, j) averages rows `[⌊i·H/oh⌋, ⌈(i+1)·H/oh⌉)` and the like for columns.
 * Computed separably as `Ph · x · Pwᵀ` with two averaging matrices.
 * Gradient: through `matmul`.
 *
 * @example adaptiveAvgPool2d(x, [1, 1]) // global average pooling
 */
export function adaptiveAvgPool2d(x: TensorLike, outputSize: number | readonly [number | null, number | null]): Tensor {
  return opScope(() => {
    const t = asFloat(x);
    if (t.rank !== 3 && t.rank !== 4) throw new Error(`adaptiveAvgPool2d: input must be [N, C, H, W] or [C, H, W], got ${fmtShape(t.shape)}`);
    const H = t.shape[t.rank - 2]!;
    const W = t.shape[t.rank - 1]!;
    const [oh, ow] = typeof outputSize === 'number' ? [outputSize, outputSize] : [outputSize[0] ?? H, outputSize[1] ?? W];
    if (!Number.isInteger(oh) || !Number.isInteger(ow) || oh < 1 || ow < 1) {
      throw new Error(`adaptiveAvgPool2d: outputSize must be positive integers, got ${JSON.stringify(outputSize)}`);
    }
    if (H === 0 || W === 0) throw new Error(`adaptiveAvgPool2d: empty spatial input ${fmtShape(t.shape)}`);
    const rows = oh === H ? t : matmul(poolMatrix(H, oh, t.dtype, false), t); // [.., oh, W]
    // (when both sizes are unchanged, the identity matmul still returns a new tensor)
    return ow === W && oh !== H ? rows : matmul(rows, poolMatrix(W, ow, t.dtype, true)); // [.., oh, ow]
  });
}
