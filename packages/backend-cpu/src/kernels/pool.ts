/**
 * Max pooling fast paths (core's `maxPool2d` and `maxPool2dBackward`): the values and each
 * window's first maximum (window-local index, int32) in one pass, and the gradient scattered
 * back through those indices. Padding reads as -∞; the first NaN is the maximum.
 * `maxPool2dInt8` pools int8 / uint8 levels, values only (padding never wins).
 */
import { convGeometry, type ConvGeometry, type TypedArray } from '@mapnn/core/backend';
import type { FloatArray } from '../cpu-backend.js';
import type { CpuKernel, CpuKernels } from './register.js';

function poolPlanes(x: FloatArray, y: FloatArray, idx: Int32Array, planes: number, H: number, W: number, g: ConvGeometry): void {
  const { oh, ow, kh, kw, sh, sw, pt, pl, dh, dw } = g;
  for (let p = 0; p < planes; p++) {
    const xo = p * H * W;
    let o = p * oh * ow;
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++, o++) {
        let best = -Infinity;
        let bi = 0;
        for (let ki = 0, j = 0; ki < kh; ki++) {
          const iy = oy * sh - pt + ki * dh;
          for (let kj = 0; kj < kw; kj++, j++) {
            const ix = ox * sw - pl + kj * dw;
            const v = iy >= 0 && iy < H && ix >= 0 && ix < W ? x[xo + iy * W + ix]! : -Infinity;
            if (j === 0) best = v;
            else if (best === best && (v > best || v !== v)) {
              best = v;
              bi = j;
            }
          }
        }
        y[o] = best;
        idx[o] = bi;
      }
    }
  }
}

const maxPool2d: CpuKernel<'maxPool2d'> = ([x], attrs, be) => {
  if (x!.shape.length !== 4) throw new Error(`maxPool2d (cpu): x must be [N, C, H, W], got [${x!.shape.join(', ')}]`);
  const [N, C, H, W] = x!.shape;
  const g = convGeometry(attrs, H, W, 'maxPool2d');
  const shape = [N, C, g.oh, g.ow];
  const y = be.allocFloats(shape, x!.dtype);
  const idx = new Int32Array(y.length);
  poolPlanes(be.floats(x!.dataId), y, idx, N * C, H, W, g);
  return [be.output(y, shape, x!.dtype), be.output(idx, shape, 'int32')];
};

const maxPool2dGrad: CpuKernel<'maxPool2dGrad'> = ([dy, idx], attrs, be) => {
  const inputShape = attrs.inputShape;
  if (inputShape?.length !== 4) throw new Error(`maxPool2dGrad (cpu): inputShape must be [N, C, H, W], got ${JSON.stringify(inputShape)}`);
  if (idx!.dtype !== 'int32') throw new Error(`maxPool2dGrad (cpu): idx must be int32, got ${idx!.dtype}`);
  const [N, C, H, W] = inputShape;
  const g = convGeometry(attrs, H, W, 'maxPool2dGrad');
  const want = [N, C, g.oh, g.ow];
  for (const t of [dy!, idx!]) {
    if (t.shape.length !== 4 || t.shape.some((d, i) => d !== want[i])) {
      throw new Error(`maxPool2dGrad (cpu): dy and idx must be [${want.join(', ')}] for input [${inputShape.join(', ')}], got [${t.shape.join(', ')}]`);
    }
  }
  const dyv = be.floats(dy!.dataId);
  const iv = be.int32s(idx!.dataId);
  const dx = be.allocFloats(inputShape, dy!.dtype); // zero-filled
  const { oh, ow, kw, sh, sw, pt, pl, dh, dw } = g;
  for (let p = 0, o = 0; p < N * C; p++) {
    const xo = p * H * W;
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++, o++) {
        const j = iv[o]!;
        const ki = Math.floor(j / kw);
        const iy = oy * sh - pt + ki * dh;
        const ix = ox * sw - pl + (j - ki * kw) * dw;
        if (iy >= 0 && iy < H && ix >= 0 && ix < W) dx[xo + iy * W + ix] += dyv[o]!;
      }
    }
  }
  return be.output(dx, inputShape, dy!.dtype);
};

/** Each window's maximum of int8 / uint8 planes; padded cells are skipped (they never win). */
function poolLevelPlanes(x: TypedArray, y: TypedArray, planes: number, H: number, W: number, g: ConvGeometry): void {
  const { oh, ow, kh, kw, sh, sw, pt, pl, dh, dw } = g;
  for (let p = 0, o = 0; p < planes; p++) {
    const xo = p * H * W;
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++, o++) {
        let best = -Infinity;
        for (let ki = 0; ki < kh; ki++) {
          const iy = oy * sh - pt + ki * dh;
          if (iy < 0 || iy >= H) continue;
          for (let kj = 0; kj < kw; kj++) {
            const ix = ox * sw - pl + kj * dw;
            if (ix >= 0 && ix < W) best = Math.max(best, Number(x[xo + iy * W + ix]!));
          }
        }
        y[o] = best; // a window of padding only cannot occur (padding ≤ half the window)
      }
    }
  }
}

const maxPool2dInt8: CpuKernel<'maxPool2dInt8'> = ([x], attrs, be) => {
  if (x!.shape.length !== 4) throw new Error(`maxPool2dInt8 (cpu): x must be [N, C, H, W], got [${x!.shape.join(', ')}]`);
  const [N, C, H, W] = x!.shape;
  const g = convGeometry(attrs, H, W, 'maxPool2dInt8');
  const shape = [N, C, g.oh, g.ow];
  const y = be.alloc(shape, x!.dtype);
  poolLevelPlanes(be.get(x!.dataId), y, N * C, H, W, g);
  return be.output(y, shape, x!.dtype);
};

/** The max pooling kernels of the cpu backend (float32, float64; maxPool2dInt8: int8, uint8). */
export const poolKernels = { maxPool2d, maxPool2dGrad, maxPool2dInt8 } satisfies CpuKernels;
