import { fromStorage, indexSelect, type Tensor } from '@mapnn/core';
import { indicesByClass, toLabelArray, type LabelsLike } from '../util/labels.js';
import { resolveRandom, type RandomSource } from '../util/random.js';
import { targetCounts, type SamplingStrategy } from './sampling-strategy.js';

/** Options of `randomOverSample` / `randomUnderSample`. */
export interface ResampleOptions extends RandomSource {
  /** Which classes to resample and to what size (default `'auto'`). */
  strategy?: SamplingStrategy;
}

/** A resampled dataset. */
export interface Resampled {
  /** Rows of the input `x` at `indices` (same dtype). */
  x: Tensor;
  /** Labels at `indices`, int32. */
  y: Tensor;
  /** Which input row each output row is. */
  indices: Int32Array;
}

/**
 * Random over-sampling (imbalanced-learn's `RandomOverSampler`): duplicates randomly chosen
 * samples of the smaller classes, with replacement, until each reaches its target (by default
 * the majority class's count). Output: all original rows in order, then the duplicates.
 *
 * @example
 * const { x: xb, y: yb } = randomOverSample(x, y, { seed: 0 }); // every class as large as the largest
 */
export function randomOverSample(x: Tensor, y: LabelsLike, options: ResampleOptions = {}): Resampled {
  const labels = toLabelArray(y, 'randomOverSample');
  checkRows(x, labels.length, 'randomOverSample');
  const g = resolveRandom(options);
  const byClass = indicesByClass(labels);
  const counts = new Map([...byClass].map(([c, idx]) => [c, idx.length]));
  const targets = targetCounts(counts, options.strategy ?? 'auto', 'over', 'randomOverSample');
  const chosen: number[] = Array.from({ length: labels.length }, (_, i) => i);
  for (const [c, idx] of byClass) {
    const extra = targets.get(c)! - idx.length;
    for (let k = 0; k < extra; k++) chosen.push(idx[g.nextBelow(idx.length)]!);
  }
  return take(x, labels, Int32Array.from(chosen));
}

/** @internal The rows `indices` of `x` and `labels`. */
export function take(x: Tensor, labels: Int32Array, indices: Int32Array): Resampled {
  return {
    x: indexSelect(x, 0, indices),
    y: fromStorage(Int32Array.from(indices, (i) => labels[i]!), [indices.length], 'int32', 'resample'),
    indices,
  };
}

/** @internal Throws unless `x` has `n` rows. */
export function checkRows(x: Tensor, n: number, op: string): void {
  if (x.rank === 0 || x.shape[0] !== n) {
    throw new Error(`${op}: x has ${x.rank === 0 ? 'no rows (a scalar)' : `${x.shape[0]} rows`} but there are ${n} labels`);
  }
}
