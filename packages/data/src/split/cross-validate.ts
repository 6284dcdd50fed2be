import { dispose, type Tensor } from '@mapnn/core';
import { kFold, type Fold } from './k-fold.js';
import { stratifiedKFold } from './stratified-k-fold.js';
import { takeRows } from './take-rows.js';
import { groupRows } from './take-rows.js';

/** The data of one fold part. */
export interface XY {
  x: Tensor;
  y: Tensor;
}

/** Metrics from `evaluate`: one number (reported as `score`) or named numbers. */
export type Metrics = number | Readonly<Record<string, number>>;

/** Options of `crossValidate`. */
export interface CrossValidateOptions<M> {
  /** Trains `model` on the fold's training part (may be async). */
  fit: (model: M, train: XY, fold: Fold) => unknown;
  /** Scores `model` on the fold's test part (may be async). */
  evaluate: (model: M, test: XY, fold: Fold) => Metrics | Promise<Metrics>;
  /** Stratify folds by `y` (default true for int labels, false otherwise). */
  stratify?: boolean;
  /** Shuffle before splitting (default true). */
  shuffle?: boolean;
  /** Seed of the shuffle (default 0, so runs are reproducible). */
  seed?: number;
  /** Called after each fold, e.g. to dispose the model. */
  afterFold?: (model: M, fold: Fold) => unknown;
}

/** Per-fold metrics and their mean ± standard deviation. */
export interface CrossValidationResult {
  folds: { fold: number; trainSize: number; testSize: number; metrics: Record<string, number> }[];
  mean: Record<string, number>;
  /** Population standard deviation over folds (ddof 0, as NumPy's `std`). */
  std: Record<string, number>;
  /** `mean ± std` per metric, e.g. `'0.953 ± 0.012'`. */
  summary: Record<string, string>;
}

/**
 * K-fold cross-validation with injected training and scoring (the training package is not a
 * dependency of data): for each of `k` folds (stratified by `y` by default), builds a fresh
 * model, fits it on the other folds and evaluates it on this one. The fold tensors are
 * disposed after `evaluate` returns.
 *
 * @example
 * const result = await crossValidate(() => makeModel(), { x, y }, 5, {
 *   fit: (model, train) => trainModel(model, train.x, train.y),
 *   evaluate: (model, test) => ({ accuracy: accuracyOf(model, test.x, test.y) }),
 *   seed: 0,
 * });
 * result.summary.accuracy; // e.g. '0.962 ± 0.015'
 */
export async function crossValidate<M>(
  buildModel: (fold: number) => M | Promise<M>,
  data: XY,
  k: number,
  options: CrossValidateOptions<M>,
): Promise<CrossValidationResult> {
  const n = groupRows({ x: data.x, y: data.y }, 'crossValidate');
  const stratify = options.stratify ?? (data.y.dtype === 'int32' || data.y.dtype === 'int64' || data.y.dtype === 'uint8');
  const kfOpts = { shuffle: options.shuffle ?? true, seed: options.seed ?? 0 };
  const folds = stratify ? stratifiedKFold(data.y, k, kfOpts) : kFold(n, k, kfOpts);
  const results: CrossValidationResult['folds'] = [];
  for (const fold of folds) {
    const model = await buildModel(fold.fold);
    const train = takeRows({ x: data.x, y: data.y }, fold.train);
    const test = takeRows({ x: data.x, y: data.y }, fold.test);
    try {
      await options.fit(model, train, fold);
      const m = await options.evaluate(model, test, fold);
      const metrics = typeof m === 'number' ? { score: m } : { ...m };
      for (const [key, v] of Object.entries(metrics)) {
        if (typeof v !== 'number') throw new Error(`crossValidate: metric '${key}' of fold ${fold.fold} is not a number`);
      }
      results.push({ fold: fold.fold, trainSize: fold.train.length, testSize: fold.test.length, metrics });
    } finally {
      dispose([train, test]);
    }
    await options.afterFold?.(model, fold);
  }
  const keys = Object.keys(results[0]?.metrics ?? {});
  const mean: Record<string, number> = {};
  const std: Record<string, number> = {};
  const summary: Record<string, string> = {};
  for (const key of keys) {
    const vals = results.map((r) => {
      const v = r.metrics[key];
      if (v === undefined) throw new Error(`crossValidate: fold ${r.fold} did not report metric '${key}'`);
      return v;
    });
    const mu = vals.reduce((a, b) => a + b, 0) / vals.length;
    const sd = Math.sqrt(vals.reduce((a, b) => a + (b - mu) ** 2, 0) / vals.length);
    mean[key] = mu;
    std[key] = sd;
    summary[key] = `${fmt(mu)} ± ${fmt(sd)}`;
  }
  return { folds: results, mean, std, summary };
}

function fmt(v: number): string {
  return Math.abs(v) >= 1000 || (v !== 0 && Math.abs(v) < 0.001) ? v.toExponential(3) : v.toFixed(4).replace(/0+$/, '').replace(/\.$/, '');
}
