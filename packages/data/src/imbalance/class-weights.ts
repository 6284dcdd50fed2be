import { toLabelArray, uniqueSorted, type LabelsLike } from '../util/labels.js';

/** How to weight classes: `'balanced'` or explicit weights per class id (others get 1). */
export type ClassWeightMode = 'balanced' | Readonly<Record<number, number>>;

/**
 * Class weights as scikit-learn's `compute_class_weight`: with `'balanced'`,
 * `n_samples / (n_classes · count(class))`, so rare classes weigh more; with a record, the given
 * weight per class and 1 for the others. The result is aligned with `classes` (default: the
 * distinct labels in ascending order; for labels `0 … C-1` it is indexable by class id).
 * A class in `classes` with no sample throws under `'balanced'`, as in scikit-learn.
 *
 * @example
 * classWeights([0, 0, 0, 1], 'balanced') // Float64Array [0.667, 2]  (4 / (2·3), 4 / (2·1))
 * // as a loss weight: tensor(classWeights(y), undefined, 'float32')
 */
export function classWeights(labels: LabelsLike, mode: ClassWeightMode = 'balanced', options: { classes?: readonly number[] } = {}): Float64Array {
  const y = toLabelArray(labels, 'classWeights');
  const classes = options.classes ? [...options.classes] : uniqueSorted(y);
  const out = new Float64Array(classes.length);
  if (mode === 'balanced') {
    const counts = new Map<number, number>();
    for (const c of y) counts.set(c, (counts.get(c) ?? 0) + 1);
    classes.forEach((c, k) => {
      const n = counts.get(c);
      if (!n) throw new Error(`classWeights: class ${c} has no samples; 'balanced' weights need every class present`);
      out[k] = y.length / (classes.length * n);
    });
    for (const c of counts.keys()) {
      if (!classes.includes(c)) throw new Error(`classWeights: label ${c} is not in classes [${classes.join(', ')}]`);
    }
    return out;
  }
  classes.forEach((c, k) => (out[k] = mode[c] ?? 1));
  return out;
}

/**
 * Per-sample weights: each sample gets its class's weight (scikit-learn's
 * `compute_sample_weight`). Feed them to `WeightedRandomSampler` to draw classes equally often.
 *
 * @example sampleWeights([0, 0, 0, 1], 'balanced') // Float64Array [0.667, 0.667, 0.667, 2]
 */
export function sampleWeights(labels: LabelsLike, mode: ClassWeightMode = 'balanced'): Float64Array {
  const y = toLabelArray(labels, 'sampleWeights');
  const classes = uniqueSorted(y);
  const w = classWeights(y, mode, { classes });
  const byClass = new Map(classes.map((c, k) => [c, w[k]!]));
  return Float64Array.from(y, (c) => byClass.get(c)!);
}
