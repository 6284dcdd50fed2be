import { permutation, resolveRandom, type RandomSource } from '../util/random.js';

/** One fold of a cross-validation split. */
export interface Fold {
  /** 0-based fold number. */
  fold: number;
  train: Int32Array;
  test: Int32Array;
}

/** Options of `kFold` and `stratifiedKFold`. */
export interface KFoldOptions extends RandomSource {
  /** Shuffle before splitting into folds (default false, as scikit-learn). */
  shuffle?: boolean;
}

/**
 * K-fold cross-validation indices (scikit-learn's `KFold`): `n` samples in `k` consecutive
 * folds (after an optional seeded shuffle); the first `n % k` folds have one extra sample.
 * Each fold is the test set once; the rest is its training set (ascending order).
 *
 * @example
 * for (const { fold, train, test } of kFold(10, 3)) console.log(fold, test); // [0..3], [4..6], [7..9]
 */
export function* kFold(n: number, k: number, options: KFoldOptions = {}): Generator<Fold, void, unknown> {
  checkK(n, k, 'kFold');
  const order = options.shuffle ? permutation(n, resolveRandom(options)) : Int32Array.from({ length: n }, (_, i) => i);
  const foldOf = new Int32Array(n);
  let start = 0;
  for (let f = 0; f < k; f++) {
    const size = Math.floor(n / k) + (f < n % k ? 1 : 0);
    for (let i = start; i < start + size; i++) foldOf[order[i]!] = f;
    start += size;
  }
  yield* foldsFrom(foldOf, k, options.shuffle ? order : null);
}

/** @internal Folds from a fold id per sample. Test indices follow `order` (if given) else ascending. */
export function* foldsFrom(foldOf: Int32Array, k: number, order: Int32Array | null): Generator<Fold, void, unknown> {
  const n = foldOf.length;
  for (let f = 0; f < k; f++) {
    const test: number[] = [];
    const train: number[] = [];
    if (order) {
      for (const i of order) if (foldOf[i] === f) test.push(i);
    } else for (let i = 0; i < n; i++) if (foldOf[i] === f) test.push(i);
    for (let i = 0; i < n; i++) if (foldOf[i] !== f) train.push(i);
    yield { fold: f, train: Int32Array.from(train), test: Int32Array.from(test) };
  }
}

/** @internal */
export function checkK(n: number, k: number, op: string): void {
  if (!Number.isInteger(k) || k < 2) throw new Error(`${op}: k must be an integer ≥ 2, got ${k}`);
  if (k > n) throw new Error(`${op}: cannot split ${n} samples into ${k} folds`);
}
