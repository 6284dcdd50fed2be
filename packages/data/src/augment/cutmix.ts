import { fromStorage, type Tensor } from '@mapnn/core';
import type { LabelsLike } from '../util/labels.js';
import { permutation, resolveRandom, sampleBeta } from '../util/random.js';
import { allocFor, floatDType, readImages } from './image-batch.js';
import { mixTargets, type Mixed, type MixOptions } from './mixup.js';
import { softTargets } from './soft-targets.js';

/** Cut-mixed inputs, soft targets and the pasted box. */
export interface CutMixed extends Mixed {
  /** The box pasted from each partner, in pixels: rows `[top, bottom)`, columns `[left, right)`. */
  box: { top: number; bottom: number; left: number; right: number };
}

/**
 * CutMix (Yun et al., 2019): draws `λ ~ Beta(α, α)`, cuts a box of about `(1 − λ)` of the image
 * area (centre uniform, clipped at the borders) and pastes, into each image of an NCHW batch,
 * that box from a random partner. `λ` is then corrected to the exact unpasted area, and the
 * targets are mixed with it: `λ · y + (1 − λ) · y[partner]`, so labels match the pixels.
 *
 * @example
 * const { x: xm, y: ym, lambda } = cutmix(images, labels, { numClasses: 10, generator: g });
 */
export function cutmix(x: Tensor, y: LabelsLike, options: MixOptions = {}): CutMixed {
  const op = 'cutmix';
  const { data, n, c, h, w, dtype } = readImages(x, op);
  const alpha = options.alpha ?? 1;
  if (!(alpha > 0)) throw new Error(`${op}: alpha must be > 0, got ${alpha}`);
  const targets = softTargets(y, n, options.numClasses, op);
  const g = resolveRandom(options);
  const lam0 = sampleBeta(alpha, alpha, g);
  const perm = permutation(n, g);
  const ratio = Math.sqrt(1 - lam0);
  const cutH = Math.floor(h * ratio);
  const cutW = Math.floor(w * ratio);
  const cy = g.nextBelow(h);
  const cx = g.nextBelow(w);
  const top = clamp(cy - Math.floor(cutH / 2), 0, h);
  const bottom = clamp(cy + Math.floor(cutH / 2), 0, h);
  const left = clamp(cx - Math.floor(cutW / 2), 0, w);
  const right = clamp(cx + Math.floor(cutW / 2), 0, w);
  const lambda = 1 - ((bottom - top) * (right - left)) / (h * w);
  const outDType = floatDType(dtype);
  const out = allocFor(outDType, data.length);
  for (let k = 0; k < data.length; k++) out[k] = data[k]!;
  const plane = h * w;
  for (let i = 0; i < n; i++) {
    for (let ch = 0; ch < c; ch++) {
      const dst = (i * c + ch) * plane;
      const src = (perm[i]! * c + ch) * plane;
      for (let r = top; r < bottom; r++) for (let col = left; col < right; col++) out[dst + r * w + col] = data[src + r * w + col]!;
    }
  }
  return {
    x: fromStorage(out, [n, c, h, w], outDType, op),
    y: mixTargets(targets.data, targets.classes, perm, lambda, op),
    lambda,
    permutation: perm,
    box: { top, bottom, left, right },
  };
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}
