import { opScope } from '../memory/scope.js';
import { fmtShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { avgPool2d } from './avg-pool2d.js';
import { asFloat } from './helpers.js';
import { widthOnly } from './pool-utils.js';
import { reshape } from './reshape.js';
import type { TensorLike } from './tensor-factory.js';

/** Options of `avgPool1d` (PyTorch names and defaults). */
export interface AvgPool1dOptions {
  kernelSize: number | readonly [number];
  /** Default: `kernelSize`. */
  stride?: number | readonly [number] | null;
  padding?: number | readonly [number];
  ceilMode?: boolean;
  /** Whether padded zeros count in the divisor (default true). */
  countIncludePad?: boolean;
}

/**
 * 1-D average pooling (PyTorch's `F.avg_pool1d`) of `x` [N, C, L] (or unbatched [C, L]);
 * computed by `avgPool2d` with height 1. Gradient: that of `avgPool2d`.
 *
 * @example avgPool1d(x, { kernelSize: 3, stride: 1, padding: 1 }) // same length
 */
export function avgPool1d(x: TensorLike, opts: AvgPool1dOptions): Tensor {
  return opScope(() => {
    const t = asFloat(x);
    if (t.rank !== 2 && t.rank !== 3) throw new Error(`avgPool1d: input must be [N, C, L] or [C, L], got ${fmtShape(t.shape)}`);
    const t4 = reshape(t, [...t.shape.slice(0, -1), 1, t.shape[t.rank - 1]!]);
    const y = avgPool2d(t4, {
      kernelSize: widthOnly(opts.kernelSize, 1)!,
      stride: widthOnly(opts.stride, 1),
      padding: widthOnly(opts.padding, 0),
      ceilMode: opts.ceilMode,
      countIncludePad: opts.countIncludePad,
    });
    return reshape(y, [...y.shape.slice(0, -2), y.shape[y.rank - 1]!]);
  });
}
