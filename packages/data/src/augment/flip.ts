import type { Tensor } from '@mapnn/core';
import { resolveRandom, type RandomSource } from '../util/random.js';
import { allocFor, checkProbability, imagesTensor, movedDType, readImages } from './image-batch.js';

/** Options of the random flips. */
export interface FlipOptions extends RandomSource {
  /** Probability of flipping each image (default 0.5). */
  p?: number;
}

/**
 * Flips each image of an NCHW batch left–right with probability `p`, independently per image
 * (one draw per image from the generator, in batch order). Keeps the dtype.
 *
 * @example randomHorizontalFlip(images, { p: 0.5, generator: g })
 */
export function randomHorizontalFlip(x: Tensor, options: FlipOptions = {}): Tensor {
  return randomFlip(x, options, 'horizontal', 'randomHorizontalFlip');
}

/**
 * Flips each image of an NCHW batch upside down with probability `p` (per image). Keeps the dtype.
 *
 * @example randomVerticalFlip(images, { p: 0.5, seed: 1 })
 */
export function randomVerticalFlip(x: Tensor, options: FlipOptions = {}): Tensor {
  return randomFlip(x, options, 'vertical', 'randomVerticalFlip');
}

function randomFlip(x: Tensor, options: FlipOptions, dir: 'horizontal' | 'vertical', op: string): Tensor {
  const p = options.p ?? 0.5;
  checkProbability(p, op);
  const g = resolveRandom(options);
  const { data, n, c, h, w, dtype } = readImages(x, op);
  const outDType = movedDType(dtype);
  const out = allocFor(outDType, data.length);
  const plane = h * w;
  for (let i = 0; i < n; i++) {
    const flip = g.nextFloat() < p;
    for (let ch = 0; ch < c; ch++) {
      const base = (i * c + ch) * plane;
      for (let r = 0; r < h; r++) {
        const sr = flip && dir === 'vertical' ? h - 1 - r : r;
        for (let col = 0; col < w; col++) {
          const sc = flip && dir === 'horizontal' ? w - 1 - col : col;
          out[base + r * w + col] = data[base + sr * w + sc]!;
        }
      }
    }
  }
  return imagesTensor(out, x.shape, outDType, op);
}
