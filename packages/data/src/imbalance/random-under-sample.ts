import type { Tensor } from '@mapnn/core';
import { indicesByClass, toLabelArray, type LabelsLike } from '../util/labels.js';
import { resolveRandom, shuffleInPlace } from '../util/random.js';
import { checkRows, take, type Resampled, type ResampleOptions } from './random-over-sample.js';
import { targetCounts } from './sampling-strategy.js';

/**
 * Random under-sampling (imbalanced-learn's `RandomUnderSampler`): keeps a random subset,
 * without replacement, of each larger class so that it shrinks to its target (by default the
 * minority class's count). Kept rows stay in their original order.
 *
 * @example
 * const { x: xb, y: yb, indices } = randomUnderSample(x, y, { seed: 0 }); // every class as small as the smallest
 */
export function randomUnderSample(x: Tensor, y: LabelsLike, options: ResampleOptions = {}): Resampled {
  const labels = toLabelArray(y, 'randomUnderSample');
  checkRows(x, labels.length, 'randomUnderSample');
  const g = resolveRandom(options);
  const byClass = indicesByClass(labels);
  const counts = new Map([...byClass].map(([c, idx]) => [c, idx.length]));
  const targets = targetCounts(counts, options.strategy ?? 'auto', 'under', 'randomUnderSample');
  const keep: number[] = [];
  for (const [c, idx] of byClass) {
    const want = targets.get(c)!;
    const order = shuffleInPlace(Int32Array.from(idx), g);
    for (let k = 0; k < want; k++) keep.push(order[k]!);
  }
  keep.sort((a, b) => a - b);
  return take(x, labels, Int32Array.from(keep));
}
