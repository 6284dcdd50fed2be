import type { LabelCounts } from './counts.js';
import type { Label } from './labels.js';
import { warn } from './warnings.js';

/**
 * How per-class scores are combined: `'binary'` (the `posLabel` class only), `'micro'` (global
 * counts), `'macro'` (unweighted mean over classes), `'weighted'` (mean weighted by support), or
 * `null` for the per-class values.
 */
export type Average = 'binary' | 'micro' | 'macro' | 'weighted';

/**
 * The value of precision/recall/F when its denominator is zero: 0, 1, or `'warn'` (0 and a
 * warning, scikit-learn's default).
 */
export type ZeroDivision = 0 | 1 | 'warn';

export interface PrfCoreOptions {
  beta?: number;
  labels?: readonly Label[];
  posLabel?: Label;
  average?: Average | null;
  zeroDivision?: ZeroDivision;
}

export type PrfMetricName = 'precision' | 'recall' | 'f-score';

export interface PrfsResult<T extends number | number[] = number | number[]> {
  precision: T;
  recall: T;
  fScore: T;
  /** Per-class (weighted) number of true samples; null when averaged. */
  support: number[] | null;
}

const AVERAGES: readonly (Average | null)[] = [null, 'binary', 'micro', 'macro', 'weighted'];

function title(m: string): string {
  return m[0]!.toUpperCase() + m.slice(1);
}

function warnPrf(modifier: string, msgStart: string, resultSize: number): void {
  const where = resultSize === 1 ? 'due to' : 'in labels with';
  warn(
    `${msgStart} ill-defined and being set to 0.0 ${where} no ${modifier} samples. ` +
      'Use `zeroDivision` parameter to control this behavior.',
  );
}

function prfDivide(
  num: number[],
  den: number[],
  metric: PrfMetricName,
  modifier: string,
  warnFor: readonly PrfMetricName[],
  zeroDivision: ZeroDivision,
): number[] {
  let masked = false;
  const out = num.map((n, i) => {
    if (den[i] === 0) {
      masked = true;
      return zeroDivision === 1 ? 1 : 0;
    }
    return n / den[i]!;
  });
  if (!masked || zeroDivision !== 'warn' || !warnFor.includes(metric)) return out;
  const msgStart = warnFor.includes('f-score') ? `${title(metric)} and F-score are` : `${title(metric)} is`;
  warnPrf(modifier, msgStart, out.length);
  return out;
}

/** The labels to score, as scikit-learn's `_check_set_wise_labels`. */
function setWiseLabels(c: LabelCounts, average: Average | null, labels: readonly Label[] | undefined, posLabel: Label | undefined, what: string): readonly Label[] | undefined {
  if (!AVERAGES.includes(average)) {
    throw new Error(`${what}: average has to be one of null, 'micro', 'macro', 'weighted', 'binary' (got ${String(average)})`);
  }
  const present = c.presentLabels();
  const pos = posLabel ?? 1;
  if (average === 'binary') {
    if (present.length <= 2) {
      if (!present.includes(pos) && present.length >= 2) {
        throw new Error(`${what}: posLabel=${JSON.stringify(pos)} is not a valid label. It should be one of ${JSON.stringify(present)}`);
      }
      return [pos];
    }
    throw new Error(
      `${what}: target is multiclass but average='binary'. Please choose another average setting, one of null, 'micro', 'macro', 'weighted'.`,
    );
  }
  if (posLabel !== undefined && posLabel !== 1) {
    warn(
      `Note that posLabel (set to ${JSON.stringify(posLabel)}) is ignored when average != 'binary' (got ${JSON.stringify(average)}). ` +
        'You may use labels=[posLabel] to specify a single positive class.',
      'UserWarning',
    );
  }
  return labels;
}

function weightedMean(x: number[], w: number[] | undefined): number {
  if (!w) return x.reduce((a, b) => a + b, 0) / x.length;
  let s = 0;
  let sw = 0;
  for (let i = 0; i < x.length; i++) {
    s += x[i]! * w[i]!;
    sw += w[i]!;
  }
  return s / sw;
}

/**
 * Precision, recall, F-beta and support from label counts, exactly as scikit-learn's
 * `precision_recall_fscore_support` (1.2), including its zero-division values and warnings.
 */
export function prfsFromCounts(
  c: LabelCounts,
  options: PrfCoreOptions,
  warnFor: readonly PrfMetricName[],
  what: string,
): PrfsResult {
  const beta = options.beta ?? 1;
  const average = options.average === undefined ? null : options.average;
  const zeroDivision = options.zeroDivision ?? 'warn';
  if (!(zeroDivision === 'warn' || zeroDivision === 0 || zeroDivision === 1)) {
    throw new Error(`${what}: got zeroDivision=${String(zeroDivision)}. Must be one of 'warn', 0, 1`);
  }
  if (!(beta >= 0)) throw new Error(`${what}: beta should be >= 0 in the F-beta score`);
  if (options.labels) c.checkLabelsOption(options.labels, what);
  const labels = setWiseLabels(c, average, options.labels, options.posLabel, what) ?? c.presentLabels();

  let tp = labels.map((l) => c.tpSum.get(l) ?? 0);
  let pred = labels.map((l) => c.predSum.get(l) ?? 0);
  let tru = labels.map((l) => c.trueSum.get(l) ?? 0);
  if (average === 'micro') {
    const s = (a: number[]) => [a.reduce((x, y) => x + y, 0)];
    tp = s(tp);
    pred = s(pred);
    tru = s(tru);
  }
  const precision = prfDivide(tp, pred, 'precision', 'predicted', warnFor, zeroDivision);
  const recall = prfDivide(tp, tru, 'recall', 'true', warnFor, zeroDivision);
  if (zeroDivision === 'warn' && warnFor.length === 1 && warnFor[0] === 'f-score') {
    if (tru.some((t, i) => t === 0 && pred[i] === 0)) warnPrf('true nor predicted', 'F-score is', tru.length);
  }
  let fScore: number[];
  if (beta === Infinity) {
    fScore = recall.slice();
  } else {
    const b2 = beta * beta;
    fScore = precision.map((p, i) => {
      const r = recall[i]!;
      let denom = b2 * p + r;
      if (denom === 0) denom = 1;
      return ((1 + b2) * p * r) / denom;
    });
  }
  if (average === null) return { precision, recall, fScore, support: tru };

  let weights: number[] | undefined;
  if (average === 'weighted') {
    weights = tru;
    if (tru.reduce((a, b) => a + b, 0) === 0) {
      const zdv = zeroDivision === 1 ? 1 : 0;
      if (pred.reduce((a, b) => a + b, 0) === 0) return { precision: zdv, recall: zdv, fScore: zdv, support: null };
      return { precision: 0, recall: zdv, fScore: 0, support: null };
    }
  }
  return {
    precision: weightedMean(precision, weights),
    recall: weightedMean(recall, weights),
    fScore: weightedMean(fScore, weights),
    support: null,
  };
}
