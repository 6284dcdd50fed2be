import type { KernelAttrs, TensorInfo } from '@mapnn/core';
import type { CpuBackend } from '../cpu-backend.js';
import { cpuKernel, FLOATS } from './register.js';

/**
 * CPU kernels for convolution: `unfold2d` (im2col) and `fold2d` (col2im), float32/float64.
 *
 * Both walk the same (c, ki, kj, oy) rows; for each kernel column kj the range of output
 * columns whose input column is inside the image is computed once, so the inner loop has no
 * bounds checks.
 */

interface Geometry {
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  pt: number;
  pl: number;
  dh: number;
  dw: number;
  oh: number;
  ow: number;
}

function pair(v: unknown, name: string, def?: number): [number, number] {
  if (v === undefined && def !== undefined) return [def, def];
  if (typeof v === 'number') return [v, v];
  if (Array.isArray(v) && v.length === 2) return [v[0] as number, v[1] as number];
  throw new Error(`conv kernel: attr '${name}' must be a number or a pair, got ${JSON.stringify(v)}`);
}

function geometry(attrs: KernelAttrs, H: number, W: number, op: string): Geometry {
  const [kh, kw] = pair(attrs.kernel, 'kernel');
  const [sh, sw] = pair(attrs.stride, 'stride', 1);
  const [dh, dw] = pair(attrs.dilation, 'dilation', 1);
  const pads = (attrs.pads as number[] | undefined) ?? [0, 0, 0, 0];
  const [pt, pb, pl, pr] = pads as [number, number, number, number];
  const oh = Math.floor((H + pt + pb - dh * (kh - 1) - 1) / sh) + 1;
  const ow = Math.floor((W + pl + pr - dw * (kw - 1) - 1) / sw) + 1;
  if (oh <= 0 || ow <= 0) throw new Error(`${op}: kernel ${kh}×${kw} (dilation ${dh}×${dw}) does not fit the padded ${H}×${W} input`);
  return { kh, kw, sh, sw, pt, pl, dh, dw, oh, ow };
}

/** The output columns [ox0, ox1) of kernel column offset `off` (= kj·dw − left) inside [0, W). */
function validRange(off: number, sw: number, W: number, ow: number): [number, number] {
  const ox0 = Math.min(ow, Math.max(0, Math.ceil(-off / sw))); // a kernel column entirely in the left padding
  const ox1 = Math.min(ow, Math.floor((W - 1 - off) / sw) + 1);
  return [ox0, Math.max(ox0, ox1)];
}

type FArr = Float32Array | Float64Array;

function unfold2d([x]: TensorInfo[], attrs: KernelAttrs, be: CpuBackend): TensorInfo {
  const [N, C, H, W] = x!.shape as [number, number, number, number];
  const g = geometry(attrs, H, W, 'unfold2d');
  const { kh, kw, sh, sw, pt, pl, dh, dw, oh, ow } = g;
  const padValue = (attrs.padValue as number | undefined) ?? 0;
  const src = be.get(x!.dataId) as FArr;
  const L = oh * ow;
  const rows = C * kh * kw;
  const outShape = [N, rows, L];
  const out = be.alloc(outShape, x!.dtype) as FArr;
  const ranges: [number, number][] = [];
  for (let kj = 0; kj < kw; kj++) ranges.push(validRange(kj * dw - pl, sw, W, ow));
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
  const g = geometry(attrs, H, W, 'fold2d');
  const { kh, kw, sh, sw, pt, pl, dh, dw, oh, ow } = g;
  if (rows % (kh * kw) !== 0) throw new Error(`fold2d: ${rows} rows are not a multiple of the kernel size ${kh}×${kw}`);
  if (L !== oh * ow) throw new Error(`fold2d: ${L} columns, expected ${oh}×${ow} = ${oh * ow} for output ${H}×${W}`);
  const C = rows / (kh * kw);
  const src = be.get(cols!.dataId) as FArr;
  const outShape = [N, C, H, W];
  const out = be.alloc(outShape, cols!.dtype) as FArr;
  const ranges: [number, number][] = [];
  for (let kj = 0; kj < kw; kj++) ranges.push(validRange(kj * dw - pl, sw, W, ow));
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
