import { isTensor, type Generator, type Tensor } from '@mapnn/core';
import type { Sampler } from '../loader/sampler.js';
import { resolveRandom, type RandomSource } from '../util/random.js';

/** Options of `WeightedRandomSampler`. */
export interface WeightedRandomSamplerOptions extends RandomSource {
  /** Draw with replacement (default true); without, each index appears at most once. */
  replacement?: boolean;
}

/**
 * Draws `numSamples` indices per epoch with probability proportional to `weights[i]`
 * (PyTorch's `WeightedRandomSampler`); pass it to `DataLoader` as `sampler`. With per-sample
 * weights from `sampleWeights(labels, 'balanced')`, every class is drawn equally often.
 * Without replacement, indices are drawn by the Efraimidis–Spirakis method (keys `u^(1/w)`).
 *
 * @example
 * const sampler = new WeightedRandomSampler(sampleWeights(y, 'balanced'), y.length, { seed: 0 });
 * const loader = new DataLoader(dataset, { batchSize: 64, sampler });
 */
export class WeightedRandomSampler implements Sampler {
  readonly generator: Generator;
  readonly replacement: boolean;
  private readonly cumulative: Float64Array;
  private readonly weights: Float64Array;

  constructor(
    weights: ArrayLike<number> | Tensor,
    readonly length: number,
    options: WeightedRandomSamplerOptions = {},
  ) {
    const w = Float64Array.from(isTensor(weights) ? (weights as Tensor).dataSync() : (weights as ArrayLike<number>));
    if (w.length === 0) throw new Error('WeightedRandomSampler: weights are empty');
    let total = 0;
    const cum = new Float64Array(w.length);
    for (let i = 0; i < w.length; i++) {
      const v = w[i]!;
      if (!(v >= 0) || !Number.isFinite(v)) throw new Error(`WeightedRandomSampler: weight ${i} is ${v}; weights must be finite and ≥ 0`);
      total += v;
      cum[i] = total;
    }
    if (total <= 0) throw new Error('WeightedRandomSampler: weights sum to 0');
    if (!Number.isInteger(length) || length < 0) throw new Error(`WeightedRandomSampler: numSamples must be a non-negative integer, got ${length}`);
    this.replacement = options.replacement ?? true;
    const positive = w.reduce((n, v) => n + (v > 0 ? 1 : 0), 0);
    if (!this.replacement && length > positive) {
      throw new Error(`WeightedRandomSampler: cannot draw ${length} samples without replacement from ${positive} with non-zero weight`);
    }
    this.weights = w;
    this.cumulative = cum;
    this.generator = resolveRandom(options);
  }

  *[Symbol.iterator](): Iterator<number> {
    const g = this.generator;
    const cum = this.cumulative;
    const total = cum[cum.length - 1]!;
    if (this.replacement) {
      for (let k = 0; k < this.length; k++) {
        const u = g.nextFloat() * total;
        // first index with cum > u (skips zero weights)
        let lo = 0;
        let hi = cum.length - 1;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (cum[mid]! > u) hi = mid;
          else lo = mid + 1;
        }
        yield lo;
      }
      return;
    }
    const keys: { i: number; key: number }[] = [];
    for (let i = 0; i < this.weights.length; i++) {
      const w = this.weights[i]!;
      const u = g.nextFloat();
      if (w > 0) keys.push({ i, key: Math.log(1 - u) / w }); // log(u^(1/w)), u in (0,1]
    }
    keys.sort((a, b) => b.key - a.key || a.i - b.i);
    for (let k = 0; k < this.length; k++) yield keys[k]!.i;
  }
}
