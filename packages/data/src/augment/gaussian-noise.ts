import type { Tensor } from '@mapnn/core';
import { resolveRandom, type RandomSource } from '../util/random.js';
import { allocFor, checkProbability, floatDType, imagesTensor } from './image-batch.js';

/** Options of `gaussianNoise`. */
export interface GaussianNoiseOptions extends RandomSource {
  /** Standard deviation of the noise (default 0.1). */
  std?: number;
  /** Mean of the noise (default 0). */
  mean?: number;
  /** Clamp the result to `[lo, hi]` (e.g. `[0, 1]` for images in that range). */
  clip?: readonly [number, number];
  /** Probability of adding noise to each sample (default 1). */
  p?: number;
}

/**
 * Adds Gaussian noise `N(mean, std²)` to every value of the chosen samples of a batch `[N, …]`
 * (any rank ≥ 1), drawn from the generator in row-major order; optionally clipped. Returns
 * float32 (float64 stays float64).
 *
 * @example gaussianNoise(images, { std: 0.05, clip: [0, 1], generator: g })
 */
export function gaussianNoise(x: Tensor, options: GaussianNoiseOptions = {}): Tensor {
  const op = 'gaussianNoise';
  if (x.rank < 1) throw new Error(`${op}: expected a batch [N, …], got a scalar`);
  const std = options.std ?? 0.1;
  const mean = options.mean ?? 0;
  if (!(std >= 0)) throw new Error(`${op}: std must be ≥ 0, got ${std}`);
  const p = options.p ?? 1;
  checkProbability(p, op);
  const [lo, hi] = options.clip ?? [-Infinity, Infinity];
  if (!(lo <= hi)) throw new Error(`${op}: clip must be [lo, hi] with lo ≤ hi`);
  const g = resolveRandom(options);
  const data = x.dataSync();
  const n = x.shape[0]!;
  const per = n === 0 ? 0 : data.length / n;
  const outDType = floatDType(x.dtype);
  const out = allocFor(outDType, data.length);
  for (let i = 0; i < n; i++) {
    const apply = g.nextFloat() < p;
    for (let j = i * per; j < (i + 1) * per; j++) {
      const v = apply ? data[j]! + mean + std * g.nextNormal() : data[j]!;
      out[j] = v < lo ? lo : v > hi ? hi : v;
    }
  }
  return imagesTensor(out, x.shape, outDType, op);
}
