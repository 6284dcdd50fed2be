import type { Tensor } from '@mapnn/core';
import { resolveRandom, type RandomSource } from '../util/random.js';
import { allocFor, checkProbability, imagesTensor, movedDType, readImages } from './image-batch.js';
import { fillRect } from './random-erasing.js';

/** Options of `cutout`. */
export interface CutoutOptions extends RandomSource {
  /** Side of the square patch `s`, or `[height, width]`. */
  size: number | readonly [number, number];
  /** Probability of cutting each image (default 1). */
  p?: number;
  /** Fill value (default 0). */
  value?: number;
}

/**
 * Cutout (DeVries & Taylor, 2017): sets a fixed-size patch, centred at a uniformly random pixel
 * of each image of an NCHW batch and clipped at the borders, to `value` in every channel.
 * Keeps the dtype.
 *
 * @example cutout(images, { size: 8, generator: g })
 */
export function cutout(x: Tensor, options: CutoutOptions): Tensor {
  const op = 'cutout';
  const [sh, sw] = typeof options.size === 'number' ? [options.size, options.size] : options.size;
  if (!(Number.isInteger(sh) && Number.isInteger(sw) && sh > 0 && sw > 0)) throw new Error(`${op}: size must be positive integers, got [${sh}, ${sw}]`);
  const p = options.p ?? 1;
  checkProbability(p, op);
  const value = options.value ?? 0;
  const g = resolveRandom(options);
  const { data, n, c, h, w, dtype } = readImages(x, op);
  const outDType = movedDType(dtype);
  const out = allocFor(outDType, data.length);
  for (let k = 0; k < data.length; k++) out[k] = data[k]!;
  for (let i = 0; i < n; i++) {
    const apply = g.nextFloat() < p;
    const cy = g.nextBelow(h);
    const cx = g.nextBelow(w);
    if (!apply) continue;
    const top = Math.max(0, cy - Math.floor(sh / 2));
    const bottom = Math.min(h, cy - Math.floor(sh / 2) + sh);
    const left = Math.max(0, cx - Math.floor(sw / 2));
    const right = Math.min(w, cx - Math.floor(sw / 2) + sw);
    fillRect(out, i, c, h, w, top, left, bottom - top, right - left, () => value);
  }
  return imagesTensor(out, x.shape, outDType, op);
}
