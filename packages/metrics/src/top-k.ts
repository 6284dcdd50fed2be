import { readLabels, readScores, readWeights, type MetricInput, type WeightsInput } from './input.js';
import { checkSortedUnique, uniqueLabels, type Label } from './labels.js';
import { BufferedMetric } from './metric.js';
import { warn } from './warnings.js';

export interface TopKAccuracyOptions {
  /** Number of top-scored classes that may contain the true one (default 2). */
  k?: number;
  /** Fraction (default) or (weighted) count of hits. */
  normalize?: boolean;
  /** All classes in the order of yScore's columns (sorted, unique; default: sorted labels of yTrue). */
  labels?: readonly Label[];
  sampleWeight?: WeightsInput;
}

/**
 * Top-k accuracy: the fraction of samples whose true class is among the k highest scores, as
 * scikit-learn's `top_k_accuracy_score` (ties broken as its reversed stable argsort: a later
 * column wins). yScore is [n, C]; for two classes 1-D scores of the greater class are accepted.
 *
 * @example
 * topKAccuracy([0, 1, 2, 2], [[0.5, 0.2, 0.2], [0.3, 0.4, 0.2], [0.2, 0.4, 0.3], [0.7, 0.2, 0.1]], { k: 2 }); // 0.75
 */
export function topKAccuracy(yTrue: MetricInput, yScore: MetricInput, options: TopKAccuracyOptions = {}): number {
  const what = 'topKAccuracy';
  const k = options.k ?? 2;
  const t = readLabels(yTrue, `${what} (yTrue)`);
  const s = readScores(yScore, `${what} (yScore)`);
  if (s.rows !== t.length) {
    throw new Error(`${what}: found input variables with inconsistent numbers of samples: [${t.length}, ${s.rows}]`);
  }
  const w = readWeights(options.sampleWeight, t.length, what);
  const binary = s.rank === 1 || s.cols === 1;
  const nScoreClasses = binary ? 2 : s.cols;
  let classes: readonly Label[];
  if (options.labels === undefined) {
    classes = uniqueLabels(t);
    if (classes.length !== nScoreClasses) {
      throw new Error(
        `${what}: number of classes in 'yTrue' (${classes.length}) not equal to the number of classes in 'yScore' (${nScoreClasses}). You can provide a list of all known classes by assigning it to the \`labels\` parameter.`,
      );
    }
  } else {
    checkSortedUnique(what, options.labels);
    classes = options.labels;
    if (classes.length !== nScoreClasses) {
      throw new Error(`${what}: number of given labels (${classes.length}) not equal to the number of classes in 'yScore' (${nScoreClasses}).`);
    }
    const known = new Set(classes);
    if (t.some((l) => !known.has(l))) throw new Error(`${what}: 'yTrue' contains labels not in parameter 'labels'.`);
  }
  if (k >= classes.length) {
    warn(`'k' (${k}) greater than or equal to 'n_classes' (${classes.length}) will result in a perfect score and is therefore meaningless.`);
  }
  const index = new Map(classes.map((c, i) => [c, i] as const));
  const enc = t.map((l) => index.get(l)!);
  const hits: number[] = new Array(t.length);
  if (binary) {
    if (k === 1) {
      const min = Math.min(...s.values);
      const max = Math.max(...s.values);
      const threshold = min >= 0 && max <= 1 ? 0.5 : 0;
      for (let i = 0; i < t.length; i++) hits[i] = (s.values[i]! > threshold ? 1 : 0) === enc[i] ? 1 : 0;
    } else hits.fill(1);
  } else {
    const c = s.cols;
    for (let i = 0; i < t.length; i++) {
      const row = s.values.slice(i * c, (i + 1) * c);
      const order = Array.from({ length: c }, (_, j) => j).sort((a, b) => row[a]! - row[b]!);
      order.reverse();
      hits[i] = order.slice(0, k).includes(enc[i]!) ? 1 : 0;
    }
  }
  const normalize = options.normalize ?? true;
  if (!w) {
    const total = hits.reduce((a, b) => a + b, 0);
    return normalize ? total / hits.length : total;
  }
  let num = 0;
  let den = 0;
  hits.forEach((h, i) => {
    num += h * w[i]!;
    den += w[i]!;
  });
  if (!normalize) return num;
  if (den === 0) throw new Error(`${what}: weights sum to zero, can't be normalized`);
  return num / den;
}

/** Streaming top-k accuracy (keeps the scores; options as `topKAccuracy`). @example new TopKAccuracy({ k: 5 }) */
export class TopKAccuracy extends BufferedMetric<number> {
  constructor(private readonly options: Omit<TopKAccuracyOptions, 'sampleWeight'> = {}) {
    super('top_k_accuracy');
  }

  compute(): number {
    const { yTrue, yPred, sampleWeight } = this.data();
    return topKAccuracy(yTrue, yPred, { ...this.options, sampleWeight });
  }
}
