import { withGrad } from '../autograd/node.js';
import { opScope } from '../memory/scope.js';
import { fmtShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { broadcastTo } from './broadcast-to.js';
import { checkRank, convOutSize, untracked } from './conv-utils.js';
import { full } from './creation.js';
import { hasKernel, runKernel } from './kernel.js';
import { reshape } from './reshape.js';
import { fromStorage, toTensor, type TensorLike } from './tensor-factory.js';
import { unfold2d, unfoldAttrs, type UnfoldAttrs, type Unfold2dOptions } from './unfold2d.js';

/** Options of `fold2d`: those of `unfold2d` (without `padValue`) plus the image size. */
export interface Fold2dOptions extends Omit<Unfold2dOptions, 'padValue'> {
  /** Spatial size `[H, W]` of the (unpadded) output image. */
  outputSize: readonly [number, number];
}

/**
 * @internal The composed (kernel-free) col2im: one `scatterAdd` of the columns into the
 * flattened image with target indices computed here (entries that fall in the padding go to
 * a spare slot, then cut off by `slice`).
 */
export function fold2dComposed(cols: Tensor, a: UnfoldAttrs, H: number, W: number): Tensor {
  return untracked(() => {
    const [N, rows] = cols.shape as [number, number, number];
    const [kh, kw] = a.kernel;
    const [sh, sw] = a.stride;
    const [dh, dw] = a.dilation;
    const [pt, , pl] = a.pads;
    const [oh, ow] = convOutSize(H, W, a.kernel, a, 'fold2d');
    const C = rows / (kh * kw);
    const L = oh * ow;
    const spare = H * W;
    const idx = new Int32Array(kh * kw * L);
    let o = 0;
    let outside = false;
    for (let ki = 0; ki < kh; ki++) {
      for (let kj = 0; kj < kw; kj++) {
        for (let oy = 0; oy < oh; oy++) {
          const iy = oy * sh + ki * dh - pt;
          for (let ox = 0; ox < ow; ox++) {
            const ix = ox * sw + kj * dw - pl;
            const inside = iy >= 0 && iy < H && ix >= 0 && ix < W;
            if (!inside) outside = true;
            idx[o++] = inside ? iy * W + ix : spare;
          }
        }
      }
    }
    const size = spare + (outside ? 1 : 0);
    const src = reshape(cols, [N, C, kh * kw * L]);
    const index = broadcastTo(fromStorage(idx, [1, 1, idx.length], 'int32'), src.shape);
    let img = runKernel('scatterAdd', [full([N, C, size], 0, cols.dtype), index, src], { axis: 2 });
    if (outside) img = runKernel('slice', [img], { begin: [0, 0, 0], size: [N, C, spare], step: [1, 1, 1] });
    return reshape(img, [N, C, H, W]);
  });
}

/**
 * col2im, the adjoint of `unfold2d`: sums columns `cols` [N, C·kh·kw, L] back into an image
 * [N, C, H, W] (`H, W = outputSize`), adding overlapping windows and dropping the padding
 * (PyTorch's `F.fold`). `L` must equal the number of windows of an `H × W` image.
 * Uses the backend's `fold2d` kernel when it has one, else `scatterAdd`.
 * Gradient: `unfold2d` of the incoming gradient (with zero padding).
 *
 * @example fold2d(unfold2d(x, { kernel: 2 }), { outputSize: [4, 4], kernel: 2 }) // x, for stride 2 non-overlapping windows
 */
export function fold2d(cols: TensorLike, opts: Fold2dOptions): Tensor {
  return opScope(() => {
    const t = toTensor(cols);
    checkRank(t, 3, 'cols', 'fold2d');
    const a = unfoldAttrs(opts, 'fold2d');
    const [H, W] = opts.outputSize;
    if (!Number.isInteger(H) || !Number.isInteger(W) || H < 1 || W < 1) throw new Error(`fold2d: invalid outputSize ${JSON.stringify(opts.outputSize)}`);
    const [oh, ow] = convOutSize(H, W, a.kernel, a, 'fold2d');
    const K = a.kernel[0] * a.kernel[1];
    if (t.shape[1]! % K !== 0 || t.shape[2] !== oh * ow) {
      throw new Error(`fold2d: cols ${fmtShape(t.shape)} do not match kernel ${a.kernel.join('×')} and ${oh}×${ow} windows of a ${H}×${W} image`);
    }
    const out = hasKernel('fold2d', t.dtype)
      ? runKernel('fold2d', [t], { kernel: a.kernel, stride: a.stride, pads: a.pads, dilation: a.dilation, outputSize: [H, W] })
      : fold2dComposed(t, a, H, W);
    return withGrad('fold2d', [t], out, (dy) => [unfold2d(dy, { kernel: a.kernel, stride: a.stride, pads: a.pads, dilation: a.dilation })]);
  });
}
