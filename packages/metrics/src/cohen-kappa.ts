import type { LabelCounts } from './counts.js';
import type { MetricInput } from './input.js';
import type { Label } from './labels.js';
import { confusionFromCounts } from './confusion-matrix.js';
import { countLabels, LabelMetric, type LabelInputOptions } from './metric.js';

export interface CohenKappaOptions extends LabelInputOptions {
  /** Labels to consider (default: all labels of both raters). */
  labels?: readonly Label[];
  /** Disagreement weights: none (0/1), `'linear'` |i − j| or `'quadratic'` (i − j)². */
  weights?: 'linear' | 'quadratic' | null;
}

/**
 * Cohen's kappa, the agreement of two raters beyond chance, as scikit-learn's
 * `cohen_kappa_score` (weighted kappa with `weights: 'linear' | 'quadratic'`).
 *
 * @example
 * cohenKappaScore([0, 1, 1, 2], [0, 1, 2, 2]); // 0.6364
 * cohenKappaScore([0, 1, 1, 2], [0, 1, 2, 2], { weights: 'quadratic' }); // 0.8
 */
export function cohenKappaScore(y1: MetricInput, y2: MetricInput, options: CohenKappaOptions = {}): number {
  return kappaFromCounts(countLabels(y1, y2, options, 'cohenKappaScore'), options);
}

export function kappaFromCounts(c: LabelCounts, options: Pick<CohenKappaOptions, 'labels' | 'weights'>): number {
  const cm = confusionFromCounts(c, { labels: options.labels }, 'cohenKappaScore');
  const n = cm.length;
  const weights = options.weights ?? null;
  if (![null, 'linear', 'quadratic'].includes(weights)) throw new Error('cohenKappaScore: unknown kappa weighting type');
  const sum0 = Array.from({ length: n }, (_, j) => cm.reduce((a, row) => a + row[j]!, 0));
  const sum1 = cm.map((row) => row.reduce((a, b) => a + b, 0));
  const total = sum0.reduce((a, b) => a + b, 0);
  const w = (i: number, j: number) =>
    weights === null ? (i === j ? 0 : 1) : weights === 'linear' ? Math.abs(i - j) : (i - j) ** 2;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      num += w(i, j) * cm[i]![j]!;
      den += w(i, j) * ((sum0[i]! * sum1[j]!) / total);
    }
  }
  return 1 - num / den;
}

/** Streaming Cohen's kappa (options as `cohenKappaScore`). @example new CohenKappa({ weights: 'linear' }) */
export class CohenKappa extends LabelMetric<number> {
  constructor(private readonly options: Omit<CohenKappaOptions, 'sampleWeight'> = {}) {
    super('cohen_kappa', options.threshold);
  }

  compute(): number {
    return kappaFromCounts(this.counts, this.options);
  }
}
