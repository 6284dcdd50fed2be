import type { LabelCounts } from './counts.js';
import type { MetricInput } from './input.js';
import { confusionFromCounts } from './confusion-matrix.js';
import { countLabels, LabelMetric, type LabelInputOptions } from './metric.js';

/**
 * Matthews correlation coefficient for binary and multi-class labels (Gorodkin's R_K), as
 * scikit-learn's `matthews_corrcoef`; 0 when undefined.
 *
 * @example
 * matthewsCorrcoef([1, 1, 1, 0], [1, 0, 1, 1]); // -0.3333
 * matthewsCorrcoef([0, 1, 2, 2], [0, 2, 2, 1]); // 0.2
 */
export function matthewsCorrcoef(yTrue: MetricInput, yPred: MetricInput, options: LabelInputOptions = {}): number {
  return matthewsFromCounts(countLabels(yTrue, yPred, options, 'matthewsCorrcoef'));
}

export function matthewsFromCounts(c: LabelCounts): number {
  const cm = confusionFromCounts(c, {}, 'matthewsCorrcoef');
  const k = cm.length;
  const tSum = cm.map((row) => row.reduce((a, b) => a + b, 0));
  const pSum = Array.from({ length: k }, (_, j) => cm.reduce((a, row) => a + row[j]!, 0));
  let nCorrect = 0;
  for (let i = 0; i < k; i++) nCorrect += cm[i]![i]!;
  const nSamples = pSum.reduce((a, b) => a + b, 0);
  const dot = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i]!, 0);
  const covYtYp = nCorrect * nSamples - dot(tSum, pSum);
  const covYpYp = nSamples ** 2 - dot(pSum, pSum);
  const covYtYt = nSamples ** 2 - dot(tSum, tSum);
  if (covYpYp * covYtYt === 0) return 0;
  return covYtYp / Math.sqrt(covYtYt * covYpYp);
}

/** Streaming Matthews correlation coefficient. @example new MatthewsCorrcoef() */
export class MatthewsCorrcoef extends LabelMetric<number> {
  constructor(options: { threshold?: number } = {}) {
    super('matthews_corrcoef', options.threshold);
  }

  compute(): number {
    return matthewsFromCounts(this.counts);
  }
}
