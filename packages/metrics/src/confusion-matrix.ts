import type { LabelCounts } from './counts.js';
import type { MetricInput } from './input.js';
import type { Label } from './labels.js';
import { countLabels, LabelMetric, type LabelInputOptions } from './metric.js';

export interface ConfusionMatrixOptions extends LabelInputOptions {
  /** Rows/columns and their order (default: sorted labels of yTrue and yPred); others are dropped. */
  labels?: readonly Label[];
  /** Normalize over true labels (rows), predicted labels (columns) or all; 0/0 gives 0. */
  normalize?: 'true' | 'pred' | 'all' | null;
}

/**
 * Confusion matrix C with C[i][j] the (weighted) number of samples of true class `labels[i]`
 * predicted as `labels[j]`, as scikit-learn's `confusion_matrix`.
 *
 * @example
 * confusionMatrix([2, 0, 2, 2, 0, 1], [0, 0, 2, 2, 0, 2]);
 * // [[2, 0, 0], [0, 0, 1], [1, 0, 2]]
 * confusionMatrix(['cat', 'ant', 'cat'], ['ant', 'ant', 'cat'], { labels: ['ant', 'cat'], normalize: 'true' });
 * // [[1, 0], [0.5, 0.5]]
 */
export function confusionMatrix(yTrue: MetricInput, yPred: MetricInput, options: ConfusionMatrixOptions = {}): number[][] {
  return confusionFromCounts(countLabels(yTrue, yPred, options, 'confusionMatrix'), options, 'confusionMatrix');
}

/** The confusion matrix of a LabelCounts (see `confusionMatrix`). */
export function confusionFromCounts(
  c: LabelCounts,
  options: Pick<ConfusionMatrixOptions, 'labels' | 'normalize'>,
  what: string,
): number[][] {
  let labels: readonly Label[];
  if (options.labels === undefined) {
    labels = c.presentLabels();
  } else {
    labels = options.labels;
    c.checkLabelsOption(labels, what);
    if (labels.length === 0) throw new Error(`${what}: 'labels' should contain at least one label`);
    if (c.n === 0) return labels.map(() => labels.map(() => 0));
    if (!labels.some((l) => c.trueSum.has(l))) throw new Error(`${what}: at least one label specified must be in yTrue`);
  }
  const normalize = options.normalize ?? null;
  if (![null, 'true', 'pred', 'all'].includes(normalize)) {
    throw new Error(`${what}: normalize must be one of 'true', 'pred', 'all', null`);
  }
  const n = labels.length;
  const index = new Map<Label, number>();
  labels.forEach((l, i) => index.set(l, i)); // last occurrence wins, as scikit-learn
  const cm = labels.map(() => new Array<number>(n).fill(0));
  for (const [t, row] of c.cells) {
    const i = index.get(t);
    if (i === undefined) continue;
    for (const [p, w] of row) {
      const j = index.get(p);
      if (j !== undefined) cm[i]![j]! += w;
    }
  }
  if (normalize === null) return cm;
  const fix = (v: number) => (Number.isNaN(v) ? 0 : v);
  if (normalize === 'true') {
    return cm.map((row) => {
      const s = row.reduce((a, b) => a + b, 0);
      return row.map((v) => fix(v / s));
    });
  }
  if (normalize === 'pred') {
    const colSums = cm[0]!.map((_, j) => cm.reduce((a, row) => a + row[j]!, 0));
    return cm.map((row) => row.map((v, j) => fix(v / colSums[j]!)));
  }
  const total = cm.reduce((a, row) => a + row.reduce((x, y) => x + y, 0), 0);
  return cm.map((row) => row.map((v) => fix(v / total)));
}

/**
 * Streaming confusion matrix (options as `confusionMatrix`).
 *
 * @example
 * const m = new ConfusionMatrix({ labels: [0, 1, 2] });
 * m.update([0, 1], [0, 2]);
 * m.compute(); // [[1, 0, 0], [0, 0, 1], [0, 0, 0]]
 */
export class ConfusionMatrix extends LabelMetric<number[][]> {
  constructor(private readonly options: Omit<ConfusionMatrixOptions, 'sampleWeight'> = {}) {
    super('confusion_matrix', options.threshold);
  }

  compute(): number[][] {
    return confusionFromCounts(this.counts, this.options, this.name);
  }
}
