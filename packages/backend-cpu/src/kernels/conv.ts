import { convColumnRanges, convGeometry, fold2dChannels } from '@mapnn/core/backend';
import type { CpuKernel, CpuKernels } from './register.js';

/**
 * CPU kernels for convolution: `unfold2d` (im2col) and `fold2d` (col2im), float32/float64.
 *
 * Both walk the same (c, ki, kj, oy) rows; for each kernel column kj the range of output
 * columns whose input column is inside the image is computed once, so the inner loop has no
 * bounds checks.
 */

const unfold2d: CpuKernel<'unfold2d'> = ([x], attrs, be) => {
  const [N, C, H, W] = x!.shape;
  const g = convGeometry(attrs, H, W, 'unfold2d');
  const { kh, kw, sh, sw, pt, pl, dh, dw, oh, ow } = g;
  const padValue = attrs.padValue ?? 0;
  const src = be.floats(x!.dataId);
  const L = oh * ow;
  const rows = C * kh * kw;
  const outShape = [N, rows, L];
  const out = be.allocFloats(outShape, x!.dtype);
  const ranges = convColumnRanges(g, W);
  let o = 0;
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const plane = (n * C + c) * H * W;
      for (let ki = 0; ki < kh; ki++) {
        for (let kj = 0; kj < kw; kj++) {
          const [ox0, ox1] = ranges[kj]!;
          const colOff = kj * dw - pl;
          for (let oy = 0; oy < oh; oy++) {
            const iy = oy * sh - pt + ki * dh;
            if (iy < 0 || iy >= H) {
              out.fill(padValue, o, o + ow);
              o += ow;
              continue;
            }
            const rowBase = plane + iy * W + colOff;
            let ox = 0;
            for (; ox < ox0; ox++) out[o++] = padValue;
            if (sw === 1) for (let ix = rowBase + ox; ox < ox1; ox++) out[o++] = src[ix++]!;
            else for (; ox < ox1; ox++) out[o++] = src[rowBase + ox * sw]!;
            for (; ox < ow; ox++) out[o++] = padValue;
          }
        }
      }
    }
  }
  return be.output(out, outShape, x!.dtype);
};

const fold2d: CpuKernel<'fold2d'> = ([cols], attrs, be) => {
  const [H, W] = attrs.outputSize;
  const [N, rows, L] = cols!.shape;
  const g = convGeometry(attrs, H, W, 'fold2d');
  const { kh, kw, sh, sw, pt, pl, dh, dw, oh, ow } = g;
  const C = fold2dChannels(g, rows, L, H, W);
  const src = be.floats(cols!.dataId);
  const outShape = [N, C, H, W];
  const out = be.allocFloats(outShape, cols!.dtype);
  const ranges = convColumnRanges(g, W);
  let o = 0;
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const plane = (n * C + c) * H * W;
      for (let ki = 0; ki < kh; ki++) {
        for (let kj = 0; kj < kw; kj++) {
          const [ox0, ox1] = ranges[kj]!;
          const colOff = kj * dw - pl;
          for (let oy = 0; oy < oh; oy++, o += ow) {
            const iy = oy * sh - pt + ki * dh;
            if (iy < 0 || iy >= H) continue;
            const rowBase = plane + iy * W + colOff;
            if (sw === 1) for (let ox = ox0; ox < ox1; ox++) out[rowBase + ox] += src[o + ox]!;
            else for (let ox = ox0; ox < ox1; ox++) out[rowBase + ox * sw] += src[o + ox]!;
          }
        }
      }
    }
  }
  return be.output(out, outShape, cols!.dtype);
};

/** The im2col / col2im kernels of the cpu backend (float32, float64). */
export const convKernels = { unfold2d, fold2d } satisfies CpuKernels;
