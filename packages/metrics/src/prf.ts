import type { MetricInput } from './input.js';
import type { Label } from './labels.js';
import { countLabels, LabelMetric, type LabelInputOptions } from './metric.js';
import { prfsFromCounts, type Average, type PrfMetricName, type PrfsResult, type ZeroDivision } from './prf-core.js';

export type { Average, PrfsResult, ZeroDivision } from './prf-core.js';

export interface PrfOptions extends LabelInputOptions {
  /** Default `'binary'` (scores the `posLabel` class); `null` gives one value per class. */
  average?: Average | null;
  /** Labels to score and their order (may include labels absent from the data). */
  labels?: readonly Label[];
  /** The positive class for `average: 'binary'` (default 1). */
  posLabel?: Label;
  /** Value for 0/0 (default `'warn'`: 0 and a warning). */
  zeroDivision?: ZeroDivision;
}

export interface FbetaOptions extends PrfOptions {
  /** Weight of recall relative to precision (> 1 favours recall; `Infinity` is recall). */
  beta: number;
}

/** The value type for given options: per-class values for `average: null`, else a number. */
export type PrfValue<O> = O extends { average: null } ? number[] : number;

function score<O extends PrfOptions>(
  yTrue: MetricInput,
  yPred: MetricInput,
  options: O | undefined,
  beta: number,
  pick: 'precision' | 'recall' | 'fScore',
  warnFor: PrfMetricName,
  what: string,
): PrfValue<O> {
  const o = { average: 'binary' as Average | null, ...options };
  const r = prfsFromCounts(countLabels(yTrue, yPred, o, what), { ...o, beta }, [warnFor], what);
  return r[pick] as PrfValue<O>;
}

/**
 * Precision tp / (tp + fp), as scikit-learn's `precision_score`.
 *
 * @example
 * precision([0, 1, 1, 0], [0, 1, 0, 1]); // 0.5 (binary, positive class 1)
 * precision([0, 1, 2, 0, 1, 2], [0, 2, 1, 0, 0, 1], { average: 'macro' }); // 0.2222…
 * precision([0, 1, 2], [0, 2, 2], { average: null }); // [1, 0, 0.5]
 */
export function precision<O extends PrfOptions>(yTrue: MetricInput, yPred: MetricInput, options?: O): PrfValue<O> {
  return score(yTrue, yPred, options, 1, 'precision', 'precision', 'precision');
}

/**
 * Recall tp / (tp + fn), as scikit-learn's `recall_score`.
 *
 * @example
 * recall([0, 1, 1, 0], [0, 1, 0, 1]); // 0.5
 * recall(['a', 'b', 'b'], ['a', 'a', 'b'], { average: 'micro' }); // 0.6667
 */
export function recall<O extends PrfOptions>(yTrue: MetricInput, yPred: MetricInput, options?: O): PrfValue<O> {
  return score(yTrue, yPred, options, 1, 'recall', 'recall', 'recall');
}

/**
 * F-beta score (1 + β²)·P·R / (β²·P + R), as scikit-learn's `fbeta_score`.
 *
 * @example
 * fbetaScore([0, 1, 2, 0, 1, 2], [0, 2, 1, 0, 0, 1], { beta: 0.5, average: 'macro' }); // 0.2381
 */
export function fbetaScore<O extends FbetaOptions>(yTrue: MetricInput, yPred: MetricInput, options: O): PrfValue<O> {
  return score(yTrue, yPred, options, options.beta, 'fScore', 'f-score', 'fbetaScore');
}

/**
 * F1 score, the harmonic mean of precision and recall, as scikit-learn's `f1_score`.
 *
 * @example
 * f1Score([0, 1, 1, 0], [0, 1, 0, 1]); // 0.5
 * f1Score([0, 1, 2, 0, 1, 2], [0, 2, 1, 0, 0, 1], { average: 'weighted' }); // 0.2667
 * f1Score([0, 0], [0, 0], { labels: [0, 1], average: null, zeroDivision: 1 }); // [1, 1]
 */
export function f1Score<O extends PrfOptions>(yTrue: MetricInput, yPred: MetricInput, options?: O): PrfValue<O> {
  return score(yTrue, yPred, options, 1, 'fScore', 'f-score', 'f1Score');
}

/**
 * Precision, recall, F-beta and support together, as scikit-learn's
 * `precision_recall_fscore_support` (default `average: null`, `beta: 1`).
 *
 * @example
 * const r = precisionRecallFscoreSupport([0, 1, 2], [0, 2, 2]);
 * r.precision; // [1, 0, 0.5]
 * r.support; // [1, 1, 1]
 */
export function precisionRecallFscoreSupport<O extends PrfOptions & { beta?: number }>(
  yTrue: MetricInput,
  yPred: MetricInput,
  options?: O,
): O extends { average: Average } ? PrfsResult<number> : PrfsResult<number[]> {
  const o = { ...options };
  const r = prfsFromCounts(
    countLabels(yTrue, yPred, o, 'precisionRecallFscoreSupport'),
    o,
    ['precision', 'recall', 'f-score'],
    'precisionRecallFscoreSupport',
  );
  return r as never;
}

abstract class PrfMetric<O extends PrfOptions> extends LabelMetric<PrfValue<O>> {
  protected readonly opts: PrfOptions & { beta?: number };
  constructor(
    name: string,
    options: (O & { beta?: number }) | undefined,
    private readonly pick: 'precision' | 'recall' | 'fScore',
    private readonly warnFor: PrfMetricName,
  ) {
    super(name, options?.threshold);
    this.opts = { average: 'binary', ...options };
  }

  compute(): PrfValue<O> {
    return prfsFromCounts(this.counts, this.opts, [this.warnFor], this.name)[this.pick] as PrfValue<O>;
  }
}

/**
 * Streaming precision (options as `precision`; `sampleWeight` goes to `update`).
 *
 * @example
 * const m = new Precision({ average: 'macro' });
 * m.update([0, 1, 2], [0, 2, 1]);
 * m.update([0, 1, 2], [0, 0, 1]);
 * m.compute(); // precision(all yTrue, all yPred, { average: 'macro' })
 */
export class Precision<O extends PrfOptions = PrfOptions> extends PrfMetric<O> {
  constructor(options?: O) {
    super('precision', options, 'precision', 'precision');
  }
}

/** Streaming recall (options as `recall`). @example new Recall({ average: 'micro' }) */
export class Recall<O extends PrfOptions = PrfOptions> extends PrfMetric<O> {
  constructor(options?: O) {
    super('recall', options, 'recall', 'recall');
  }
}

/**
 * Streaming F1 score (options as `f1Score`).
 *
 * @example
 * const f1 = new F1Score({ average: 'macro' });
 * for (const [y, p] of batches) f1.update(y, p);
 * f1.compute();
 */
export class F1Score<O extends PrfOptions = PrfOptions> extends PrfMetric<O> {
  constructor(options?: O) {
    super('f1', options, 'fScore', 'f-score');
  }
}

/** Streaming F-beta score (options as `fbetaScore`). @example new FbetaScore({ beta: 2, average: 'weighted' }) */
export class FbetaScore<O extends FbetaOptions = FbetaOptions> extends PrfMetric<O> {
  constructor(options: O) {
    super('fbeta', options, 'fScore', 'f-score');
  }
}
