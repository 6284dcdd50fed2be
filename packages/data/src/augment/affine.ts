import type { Tensor } from '@mapnn/core';
import { resolveRandom, uniformBetween, type RandomSource } from '../util/random.js';
import { allocFor, checkProbability, floatDType, imagesTensor, readImages, symmetricRange } from './image-batch.js';

/** How resampled pixels are computed. */
export type Interpolation = 'bilinear' | 'nearest';

/** Options of `randomAffine` and its special cases. */
export interface AffineOptions extends RandomSource {
  /** Rotation angle range in degrees: `d` → `[-d, d]`, or `[lo, hi]` (default 0). Positive = counter-clockwise on screen. */
  degrees?: number | readonly [number, number];
  /** Maximum shift as fractions of width and height: shifts are drawn from `[-fx·W, fx·W]`, `[-fy·H, fy·H]` (default none). */
  translate?: readonly [number, number];
  /** Zoom factor range `[lo, hi]` (default `[1, 1]`; > 1 enlarges). */
  scale?: readonly [number, number];
  /** `'bilinear'` (default) or `'nearest'`. */
  interpolation?: Interpolation;
  /** Value for pixels that come from outside the image (default 0). */
  fill?: number;
  /** Probability of transforming each image (default 1). */
  p?: number;
}

/** The parameters drawn for one image. */
export interface AffineParams {
  angle: number;
  tx: number;
  ty: number;
  scale: number;
}

/**
 * A random affine transform per image of an NCHW batch (torchvision's `RandomAffine`): rotation
 * by an angle from `degrees`, zoom by a factor from `scale`, and a shift from `translate`, about
 * the image centre; pixels are resampled by inverse mapping (`bilinear` or `nearest`) and areas
 * that come from outside the image get `fill`. Parameters are drawn per image from the generator
 * in a fixed order (apply-draw, angle, tx, ty, scale), so the same seed gives the same batch.
 * Returns float32 (float64 stays float64).
 *
 * @example randomAffine(images, { degrees: 15, translate: [0.1, 0.1], scale: [0.9, 1.1], generator: g })
 */
export function randomAffine(x: Tensor, options: AffineOptions = {}): Tensor {
  return affineWith(x, options, 'randomAffine');
}

/**
 * Rotates each image by a random angle from `degrees` (`d` → `[-d, d]`) about its centre.
 *
 * @example randomRotation(images, { degrees: 30, interpolation: 'nearest', seed: 0 })
 */
export function randomRotation(x: Tensor, options: AffineOptions & { degrees: number | readonly [number, number] }): Tensor {
  return affineWith(x, { ...options, translate: undefined, scale: undefined }, 'randomRotation');
}

/**
 * Zooms each image by a random factor from `scale` about its centre (> 1 enlarges).
 *
 * @example randomScale(images, { scale: [0.8, 1.2], seed: 0 })
 */
export function randomScale(x: Tensor, options: AffineOptions & { scale: readonly [number, number] }): Tensor {
  return affineWith(x, { ...options, degrees: undefined, translate: undefined }, 'randomScale');
}

/**
 * Shifts each image by a random offset of up to `translate` × (width, height).
 *
 * @example randomTranslation(images, { translate: [0.1, 0.1], seed: 0 })
 */
export function randomTranslation(x: Tensor, options: AffineOptions & { translate: readonly [number, number] }): Tensor {
  return affineWith(x, { ...options, degrees: undefined, scale: undefined }, 'randomTranslation');
}

function affineWith(x: Tensor, options: AffineOptions, op: string): Tensor {
  const p = options.p ?? 1;
  checkProbability(p, op);
  const [d0, d1] = symmetricRange(options.degrees ?? 0, op, 'degrees');
  const [fx, fy] = options.translate ?? [0, 0];
  if (!(fx >= 0 && fx <= 1 && fy >= 0 && fy <= 1)) throw new Error(`${op}: translate fractions must be in [0, 1], got [${fx}, ${fy}]`);
  const [s0, s1] = options.scale ?? [1, 1];
  if (!(s0 > 0 && s0 <= s1)) throw new Error(`${op}: scale must be [lo, hi] with 0 < lo ≤ hi, got [${s0}, ${s1}]`);
  const interpolation = options.interpolation ?? 'bilinear';
  if (interpolation !== 'bilinear' && interpolation !== 'nearest') throw new Error(`${op}: interpolation must be 'bilinear' or 'nearest', got ${interpolation}`);
  const g = resolveRandom(options);
  const batch = readImages(x, op);
  const params: (AffineParams | null)[] = [];
  for (let i = 0; i < batch.n; i++) {
    const apply = g.nextFloat() < p;
    const angle = uniformBetween(g, d0, d1);
    const tx = uniformBetween(g, -fx * batch.w, fx * batch.w);
    const ty = uniformBetween(g, -fy * batch.h, fy * batch.h);
    const scale = uniformBetween(g, s0, s1);
    params.push(apply ? { angle, tx, ty, scale } : null);
  }
  return applyAffine(x, params, { interpolation, fill: options.fill ?? 0 }, op);
}

/**
 * Applies a given affine transform to each image of an NCHW batch (`null` = unchanged): rotation
 * by `angle` degrees counter-clockwise, zoom by `scale`, then shift by (`tx`, `ty`) pixels, about
 * the image centre. The deterministic core of `randomAffine`.
 *
 * @example applyAffine(images, [{ angle: 90, tx: 0, ty: 0, scale: 1 }], { interpolation: 'nearest' })
 */
export function applyAffine(
  x: Tensor,
  params: readonly (AffineParams | null)[],
  options: { interpolation?: Interpolation; fill?: number } = {},
  op = 'applyAffine',
): Tensor {
  const { data, n, c, h, w, dtype } = readImages(x, op);
  if (params.length !== n) throw new Error(`${op}: ${params.length} parameter sets for ${n} images`);
  const outDType = floatDType(dtype);
  const out = allocFor(outDType, data.length);
  const fill = options.fill ?? 0;
  const nearest = options.interpolation === 'nearest';
  const plane = h * w;
  const cx = (w - 1) / 2;
  const cy = (h - 1) / 2;
  for (let i = 0; i < n; i++) {
    const prm = params[i];
    const base0 = i * c * plane;
    if (!prm) {
      for (let k = 0; k < c * plane; k++) out[base0 + k] = data[base0 + k]!;
      continue;
    }
    const th = (prm.angle * Math.PI) / 180;
    const cos = Math.cos(th);
    const sin = Math.sin(th);
    const inv = 1 / prm.scale;
    for (let r = 0; r < h; r++) {
      for (let col = 0; col < w; col++) {
        // inverse map: undo the shift, the rotation (y axis points down) and the zoom
        const u = col - cx - prm.tx;
        const v = r - cy - prm.ty;
        const sx = (cos * u - sin * v) * inv + cx;
        const sy = (sin * u + cos * v) * inv + cy;
        for (let ch = 0; ch < c; ch++) {
          const base = base0 + ch * plane;
          out[base + r * w + col] = nearest ? sampleNearest(data, base, h, w, sx, sy, fill) : sampleBilinear(data, base, h, w, sx, sy, fill);
        }
      }
    }
  }
  return imagesTensor(out, x.shape, outDType, op);
}

function sampleNearest(data: ArrayLike<number>, base: number, h: number, w: number, sx: number, sy: number, fill: number): number {
  const xi = Math.round(sx);
  const yi = Math.round(sy);
  if (xi < 0 || yi < 0 || xi >= w || yi >= h) return fill;
  return data[base + yi * w + xi]!;
}

function sampleBilinear(data: ArrayLike<number>, base: number, h: number, w: number, sx: number, sy: number, fill: number): number {
  // snap values within float noise of a pixel centre so exact transforms stay exact
  const rx = Math.round(sx);
  const ry = Math.round(sy);
  if (Math.abs(sx - rx) < 1e-9) sx = rx;
  if (Math.abs(sy - ry) < 1e-9) sy = ry;
  const x0 = Math.floor(sx);
  const y0 = Math.floor(sy);
  const ax = sx - x0;
  const ay = sy - y0;
  const at = (yy: number, xx: number) => (xx < 0 || yy < 0 || xx >= w || yy >= h ? fill : data[base + yy * w + xx]!);
  if (x0 < -1 || y0 < -1 || x0 >= w || y0 >= h) return fill;
  const top = ax === 0 ? at(y0, x0) : at(y0, x0) * (1 - ax) + at(y0, x0 + 1) * ax;
  if (ay === 0) return top;
  const bottom = ax === 0 ? at(y0 + 1, x0) : at(y0 + 1, x0) * (1 - ax) + at(y0 + 1, x0 + 1) * ax;
  return top * (1 - ay) + bottom * ay;
}
