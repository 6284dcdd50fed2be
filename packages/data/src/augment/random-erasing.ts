import type { Tensor } from '@mapnn/core';
import { resolveRandom, uniformBetween, type RandomSource } from '../util/random.js';
import { allocFor, checkProbability, imagesTensor, movedDType, readImages } from './image-batch.js';

/** Options of `randomErasing`. */
export interface RandomErasingOptions extends RandomSource {
  /** Probability of erasing a patch in each image (default 0.5). */
  p?: number;
  /** Range of the patch area as a fraction of the image (default [0.02, 0.33]). */
  scale?: readonly [number, number];
  /** Range of the patch aspect ratio h/w, drawn log-uniformly (default [0.3, 3.3]). */
  ratio?: readonly [number, number];
  /** Fill value, or `'random'` for standard-normal noise (default 0). */
  value?: number | 'random';
}

/**
 * Random erasing (Zhong et al., 2017; torchvision's `RandomErasing`): with probability `p`, each
 * image of an NCHW batch gets one rectangle of random area and aspect ratio set to `value` in
 * every channel (up to 10 tries to fit the rectangle; if none fits, the image is unchanged).
 * Keeps the dtype (`'random'` needs a float batch).
 *
 * @example randomErasing(images, { p: 0.5, generator: g })
 */
export function randomErasing(x: Tensor, options: RandomErasingOptions = {}): Tensor {
  const op = 'randomErasing';
  const p = options.p ?? 0.5;
  checkProbability(p, op);
  const [a0, a1] = options.scale ?? [0.02, 0.33];
  const [r0, r1] = options.ratio ?? [0.3, 3.3];
  if (!(a0 > 0 && a0 <= a1 && a1 <= 1)) throw new Error(`${op}: scale must be [lo, hi] within (0, 1], got [${a0}, ${a1}]`);
  if (!(r0 > 0 && r0 <= r1)) throw new Error(`${op}: ratio must be [lo, hi] with 0 < lo ≤ hi, got [${r0}, ${r1}]`);
  const value = options.value ?? 0;
  const g = resolveRandom(options);
  const { data, n, c, h, w, dtype } = readImages(x, op);
  if (value === 'random' && dtype !== 'float32' && dtype !== 'float64' && dtype !== 'float16') {
    throw new Error(`${op}: value 'random' needs a float batch, got ${dtype}`);
  }
  const outDType = movedDType(dtype);
  const out = allocFor(outDType, data.length);
  for (let k = 0; k < data.length; k++) out[k] = data[k]!;
  for (let i = 0; i < n; i++) {
    if (!(g.nextFloat() < p)) continue;
    for (let attempt = 0; attempt < 10; attempt++) {
      const area = h * w * uniformBetween(g, a0, a1);
      const aspect = Math.exp(uniformBetween(g, Math.log(r0), Math.log(r1)));
      const eh = Math.round(Math.sqrt(area * aspect));
      const ew = Math.round(Math.sqrt(area / aspect));
      if (!(eh < h && ew < w && eh > 0 && ew > 0)) continue;
      const top = g.nextBelow(h - eh + 1);
      const left = g.nextBelow(w - ew + 1);
      fillRect(out, i, c, h, w, top, left, eh, ew, () => (value === 'random' ? g.nextNormal() : value));
      break;
    }
  }
  return imagesTensor(out, x.shape, outDType, op);
}

/** @internal Sets a rectangle of image `i` (all channels) to `next()` values. */
export function fillRect(
  out: { [k: number]: number },
  i: number,
  c: number,
  h: number,
  w: number,
  top: number,
  left: number,
  eh: number,
  ew: number,
  next: () => number,
): void {
  for (let ch = 0; ch < c; ch++) {
    const base = (i * c + ch) * h * w;
    for (let r = top; r < top + eh; r++) for (let col = left; col < left + ew; col++) out[base + r * w + col] = next();
  }
}
