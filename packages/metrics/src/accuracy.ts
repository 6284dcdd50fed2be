import type { LabelCounts } from './counts.js';
import type { MetricInput } from './input.js';
import { countLabels, LabelMetric, type LabelInputOptions } from './metric.js';

export interface AccuracyOptions extends LabelInputOptions {
  /** Fraction of correct samples (default) or, with `false`, their (weighted) count. */
  normalize?: boolean;
}

/**
 * Accuracy: the (weighted) fraction of samples whose predicted label equals the true label, as
 * scikit-learn's `accuracy_score`. `yPred` may be labels, a [n, C] score matrix (its argmax is
 * taken) or 1-D scores with `threshold`.
 *
 * @example
 * accuracy([0, 1, 2, 3], [0, 2, 1, 3]); // 0.5
 * accuracy([0, 1, 2, 3], [0, 2, 1, 3], { normalize: false }); // 2
 * accuracy([1, 0], [[0.2, 0.8], [0.9, 0.1]]); // 1 (argmax of each row)
 */
export function accuracy(yTrue: MetricInput, yPred: MetricInput, options: AccuracyOptions = {}): number {
  return accuracyFromCounts(countLabels(yTrue, yPred, options, 'accuracy'), options.normalize ?? true);
}

export function accuracyFromCounts(c: LabelCounts, normalize: boolean): number {
  if (!normalize) return c.correctWeight;
  if (c.weighted && c.totalWeight === 0) throw new Error("accuracy: weights sum to zero, can't be normalized");
  return c.correctWeight / c.totalWeight;
}

/**
 * Streaming accuracy.
 *
 * @example
 * const m = new Accuracy();
 * m.update([0, 1], [0, 0]);
 * m.update([1, 1], [1, 1]);
 * m.compute(); // 0.75
 */
export class Accuracy extends LabelMetric<number> {
  constructor(private readonly options: Omit<AccuracyOptions, 'sampleWeight'> = {}) {
    super('accuracy', options.threshold);
  }

  compute(): number {
    return accuracyFromCounts(this.counts, this.options.normalize ?? true);
  }
}
