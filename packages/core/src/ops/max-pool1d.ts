import { opScope } from '../memory/scope.js';
import { fmtShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { asFloat } from './helpers.js';
import { maxPool2d } from './max-pool2d.js';
import { widthOnly } from './pool-utils.js';
import { reshape } from './reshape.js';
import type { TensorLike } from './tensor-factory.js';

/** Options of `maxPool1d` (PyTorch names and defaults). */
export interface MaxPool1dOptions {
  kernelSize: number | readonly [number];
  /** Default: `kernelSize`. */
  stride?: number | readonly [number] | null;
  padding?: number | readonly [number];
  dilation?: number | readonly [number];
  ceilMode?: boolean;
}

/**
 * 1-D max pooling (PyTorch's `F.max_pool1d`) of `x` [N, C, L] (or unbatched [C, L]); computed
 * by `maxPool2d` with height 1. Gradient: that of `maxPool2d`.
 *
 * @example maxPool1d(x, { kernelSize: 2 }) // x [2,4,10] → [2,4,5]
 */
export function maxPool1d(x: TensorLike, opts: MaxPool1dOptions): Tensor {
  return opScope(() => {
    const t = asFloat(x);
    if (t.rank !== 2 && t.rank !== 3) throw new Error(`maxPool1d: input must be [N, C, L] or [C, L], got ${fmtShape(t.shape)}`);
    const t4 = reshape(t, [...t.shape.slice(0, -1), 1, t.shape[t.rank - 1]!]);
    const y = maxPool2d(t4, {
      kernelSize: widthOnly(opts.kernelSize, 1)!,
      stride: widthOnly(opts.stride, 1),
      padding: widthOnly(opts.padding, 0),
      dilation: widthOnly(opts.dilation, 1),
      ceilMode: opts.ceilMode,
    });
    return reshape(y, [...y.shape.slice(0, -2), y.shape[y.rank - 1]!]);
  });
}
