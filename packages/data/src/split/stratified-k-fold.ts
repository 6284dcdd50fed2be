import { toLabelArray, type LabelsLike } from '../util/labels.js';
import { resolveRandom, shuffleInPlace } from '../util/random.js';
import { checkK, foldsFrom, type Fold, type KFoldOptions } from './k-fold.js';

/**
 * Stratified k-fold indices (scikit-learn's `StratifiedKFold`, same algorithm, so without
 * shuffling the folds equal scikit-learn's): each class's samples are dealt over the folds so
 * that, for every class, fold counts differ by at most one, and fold sizes differ by at most one.
 * With `shuffle`, each class's fold assignment is shuffled (seeded). Throws if `k` exceeds every
 * class's count; a class smaller than `k` is missing from some folds.
 *
 * @example
 * for (const { train, test } of stratifiedKFold(y, 5, { shuffle: true, seed: 0 })) { … }
 */
export function* stratifiedKFold(labels: LabelsLike, k: number, options: KFoldOptions = {}): Generator<Fold, void, unknown> {
  const y = toLabelArray(labels, 'stratifiedKFold');
  const n = y.length;
  checkK(n, k, 'stratifiedKFold');
  // classes encoded in order of first appearance (as scikit-learn)
  const code = new Map<number, number>();
  for (const c of y) if (!code.has(c)) code.set(c, code.size);
  const enc = Int32Array.from(y, (c) => code.get(c)!);
  const numClasses = code.size;
  const counts = new Int32Array(numClasses);
  for (const c of enc) counts[c]!++;
  if (counts.every((c) => c < k)) {
    throw new Error(`stratifiedKFold: k = ${k} is greater than the number of samples of every class (largest: ${Math.max(...counts)})`);
  }
  // allocation[f][c] = bincount(sorted(enc)[f::k])
  const sorted = Int32Array.from(enc).sort();
  const allocation = Array.from({ length: k }, () => new Int32Array(numClasses));
  for (let i = 0; i < n; i++) allocation[i % k]![sorted[i]!]!++;
  const g = options.shuffle ? resolveRandom(options) : null;
  const foldOf = new Int32Array(n);
  for (let c = 0; c < numClasses; c++) {
    const folds: number[] = [];
    for (let f = 0; f < k; f++) for (let r = 0; r < allocation[f]![c]!; r++) folds.push(f);
    const assign = Int32Array.from(folds);
    if (g) shuffleInPlace(assign, g);
    let t = 0;
    for (let i = 0; i < n; i++) if (enc[i] === c) foldOf[i] = assign[t++]!;
  }
  yield* foldsFrom(foldOf, k, null);
}
