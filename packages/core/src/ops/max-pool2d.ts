import { opScope } from '../memory/scope.js';
import type { Tensor } from '../tensor.js';
import { asFloat } from './helpers.js';
import { argmax } from './argmax.js';
import { cast } from './cast.js';
import { gather } from './gather.js';
import { noGrad, withGrad } from '../autograd/node.js';
import { hasKernel, runKernel, runKernelMulti } from './kernel.js';
import { maxPool2dBackward, type PoolWindowAttrs } from './max-pool2d-backward.js';
import { checkPoolInput, poolGeometry, poolUnfold, type Pool2dOptions } from './pool-utils.js';
import type { Pair } from './conv-utils.js';
import { reshape } from './reshape.js';
import { toTensor, type TensorLike } from './tensor-factory.js';
import { unfold2d } from './unfold2d.js';

export type { Pool2dOptions } from './pool-utils.js';

/** Options of `maxPool2d`. */
export interface MaxPool2dOptions extends Pool2dOptions {
  /** Spacing of the window elements (default 1). */
  dilation?: Pair;
}

/**
 * 2-D max pooling (PyTorch's `F.max_pool2d`) of `x` [N, C, H, W] (or unbatched [C, H, W]):
 * the maximum of each `kernelSize` window (stride defaults to `kernelSize`; padding counts as
 * -∞). `ceilMode` rounds the output size up, the last window starting inside the input or
 * left padding. A backend with `maxPool2d` and `maxPool2dGrad` kernels computes the values and
 * each window's first maximum in one pass; otherwise it is `unfold2d` (padValue -∞), then
 * `argmax` and `gather` over the window axis.
 * An int8 / uint8 input (quantized levels) is pooled as integers and keeps its dtype: by the
 * backend's `maxPool2dInt8` kernel, else exactly as float32 (cast, float max pooling, cast
 * back: every level is exact in float32 and padding, −∞, never wins). Other integer and bool
 * inputs are promoted to float32.
 * Gradient: all of it goes to the first maximum of each window (as PyTorch; a NaN counts as the
 * maximum), via `maxPool2dBackward` (or `gather`'s gradient folded back by `unfold2d`'s); an
 * int8 / uint8 result carries none (integer tensors never require grad).
 *
 * @example maxPool2d(x, { kernelSize: 2 }) // x [1,3,8,8] → [1,3,4,4]
 * @example maxPool2d(q, { kernelSize: 2 }) // q int8 [1,3,8,8] → int8 [1,3,4,4]
 */
export function maxPool2d(x: TensorLike, opts: MaxPool2dOptions): Tensor {
  return opScope(() => {
    const raw = toTensor(x);
    if (raw.dtype === 'int8' || raw.dtype === 'uint8') return maxPool2dLevels(raw, opts);
    const t0 = asFloat(raw);
    const unbatched = checkPoolInput(t0, 'maxPool2d');
    const t = unbatched ? reshape(t0, [1, ...t0.shape]) : t0;
    const [N, C, H, W] = t.shape as [number, number, number, number];
    const [gh, gw] = poolGeometry(H, W, opts, 'maxPool2d');
    const u = poolUnfold(gh, gw, -Infinity);
    if (t.dtype !== 'float16' && hasKernel('maxPool2d', t.dtype) && hasKernel('maxPool2dGrad', t.dtype)) {
      // fast path: values and window-local argmax in one pass; the gradient scatters through them
      const win: PoolWindowAttrs = { kernel: u.kernel, stride: u.stride, pads: u.pads, dilation: u.dilation };
      const [y4, idx] = runKernelMulti('maxPool2d', [t], { ...win });
      const y = withGrad('maxPool2d', [t], y4, (dy) => [maxPool2dBackward(dy, idx, t.shape, win)]);
      return unbatched ? reshape(y, y.shape.slice(1)) : y;
    }
    const cols = unfold2d(t, u);
    // the window's first maximum, as PyTorch: its gradient is a scatter to that one position
    const windows = reshape(cols, [N, C, gh.k * gw.k, gh.out, gw.out]);
    const first = noGrad(() => argmax(windows, 2, true));
    const y = reshape(gather(windows, 2, first), [N, C, gh.out, gw.out]);
    return unbatched ? reshape(y, y.shape.slice(1)) : y;
  });
}

/** maxPool2d of int8 / uint8 levels: the `maxPool2dInt8` kernel, else float32 pooling cast back (exact). */
function maxPool2dLevels(x: Tensor, opts: MaxPool2dOptions): Tensor {
  const unbatched = checkPoolInput(x, 'maxPool2d');
  const t = unbatched ? reshape(x, [1, ...x.shape]) : x;
  const [gh, gw] = poolGeometry(t.shape[2]!, t.shape[3]!, opts, 'maxPool2d');
  let y: Tensor;
  if (hasKernel('maxPool2dInt8', t.dtype)) {
    const u = poolUnfold(gh, gw, -Infinity);
    y = runKernel('maxPool2dInt8', [t], { kernel: u.kernel, stride: u.stride, pads: u.pads, dilation: u.dilation });
  } else {
    y = cast(maxPool2d(cast(t, 'float32'), opts), t.dtype);
  }
  return unbatched ? reshape(y, y.shape.slice(1)) : y;
}
