import { convColumnRanges, convGeometry, fold2dChannels, type KernelAttrs, type TensorInfo } from '@mapnn/core';
import type { CpuBackend } from '../cpu-backend.js';
import { cpuKernel, FLOATS } from './register.js';

/**
 * CPU kernels for convolution: `unfold2d` (im2col) and `fold2d` (col2im), float32/float64.
 *
 * Both walk the same (c, ki, kj, oy) rows; for each kernel column kj the range of output
 * columns whose input column is inside the image is computed once, so the inner loop has no
 * bounds checks.
 */

type FArr = Float32Array | Float64Array;

function unfold2d([x]: TensorInfo[], attrs: KernelAttrs, be: CpuBackend): TensorInfo {
  const [N, C, H, W] = x!.shape as [number, number, number, number];
  const g = convGeometry(attrs, H, W, 'unfold2d');
  const { kh, kw, sh, sw, pt, pl, dh, dw, oh, ow } = g;
  const padValue = (attrs.padValue as number | undefined) ?? 0;
  const src = be.get(x!.dataId) as FArr;
  const L = oh * ow;
  const rows = C * kh * kw;
  const outShape = [N, rows, L];
  const out = be.alloc(outShape, x!.dtype) as FArr;
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
}

function fold2d([cols]: TensorInfo[], attrs: KernelAttrs, be: CpuBackend): TensorInfo {
  const [H, W] = attrs.outputSize as [number, number];
  const [N, rows, L] = cols!.shape as [number, number, number];
  const g = convGeometry(attrs, H, W, 'fold2d');
  const { kh, kw, sh, sw, pt, pl, dh, dw, oh, ow } = g;
  const C = fold2dChannels(g, rows, L, H, W);
  const src = be.get(cols!.dataId) as FArr;
  const outShape = [N, C, H, W];
  const out = be.alloc(outShape, cols!.dtype) as FArr;
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
}

cpuKernel('unfold2d', unfold2d, FLOATS);
cpuKernel('fold2d', fold2d, FLOATS);
