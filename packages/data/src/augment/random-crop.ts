import type { Tensor } from '@mapnn/core';
import { resolveRandom, type RandomSource } from '../util/random.js';
import { allocFor, imagesTensor, movedDType, readImages } from './image-batch.js';

/** Options of `randomCrop`. */
export interface RandomCropOptions extends RandomSource {
  /** Output size `s` (square) or `[height, width]` (default: the input size). */
  size?: number | readonly [number, number];
  /** Padding added on every side before cropping: `p`, or `[vertical, horizontal]` (default 0). */
  padding?: number | readonly [number, number];
  /** How the padding is filled: `'constant'` (default, with `fill`), `'edge'` or `'reflect'`. */
  paddingMode?: 'constant' | 'edge' | 'reflect';
  /** Value of constant padding (default 0). */
  fill?: number;
}

/**
 * Pads each image of an NCHW batch and crops a `size` window at a random position (torchvision's
 * `RandomCrop(size, padding)`; the classic CIFAR augmentation is `{ padding: 4 }`). One offset
 * pair per image, drawn in batch order. Keeps the dtype.
 *
 * @example randomCrop(images, { padding: 4, generator: g }) // same size, shifted by up to 4 px
 */
export function randomCrop(x: Tensor, options: RandomCropOptions = {}): Tensor {
  const op = 'randomCrop';
  const { data, n, c, h, w, dtype } = readImages(x, op);
  const [oh, ow] = options.size === undefined ? [h, w] : typeof options.size === 'number' ? [options.size, options.size] : options.size;
  const [pv, ph] = typeof options.padding === 'number' ? [options.padding, options.padding] : (options.padding ?? [0, 0]);
  if (![oh, ow, pv, ph].every((v) => Number.isInteger(v) && v >= 0) || oh < 1 || ow < 1) {
    throw new Error(`${op}: size and padding must be non-negative integers (size ≥ 1), got size [${oh}, ${ow}], padding [${pv}, ${ph}]`);
  }
  const hp = h + 2 * pv;
  const wp = w + 2 * ph;
  if (oh > hp || ow > wp) throw new Error(`${op}: crop ${oh}×${ow} is larger than the padded image ${hp}×${wp}`);
  const mode = options.paddingMode ?? 'constant';
  if (mode === 'reflect' && (pv >= h || ph >= w)) throw new Error(`${op}: reflect padding must be smaller than the image`);
  const fill = options.fill ?? 0;
  const g = resolveRandom(options);
  const outDType = movedDType(dtype);
  const out = allocFor(outDType, n * c * oh * ow);
  const src = (i: number, size: number): number => {
    if (i >= 0 && i < size) return i;
    if (mode === 'edge') return i < 0 ? 0 : size - 1;
    if (mode === 'reflect') return i < 0 ? -i : 2 * (size - 1) - i;
    return -1;
  };
  for (let k = 0; k < n; k++) {
    const top = g.nextBelow(hp - oh + 1) - pv;
    const left = g.nextBelow(wp - ow + 1) - ph;
    for (let ch = 0; ch < c; ch++) {
      const inBase = (k * c + ch) * h * w;
      const outBase = (k * c + ch) * oh * ow;
      for (let r = 0; r < oh; r++) {
        const sr = src(top + r, h);
        for (let col = 0; col < ow; col++) {
          const sc = src(left + col, w);
          out[outBase + r * ow + col] = sr < 0 || sc < 0 ? fill : data[inBase + sr * w + sc]!;
        }
      }
    }
  }
  return imagesTensor(out, [n, c, oh, ow], outDType, op);
}
