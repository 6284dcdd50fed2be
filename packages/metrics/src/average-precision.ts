import { averageBinaryScore, labelBinarize, type ScoreAverage } from './average-binary.js';
import { readRaw, readScores, readWeights, type MetricInput, type WeightsInput } from './input.js';
import { checkLabelKinds, uniqueLabels, type Label } from './labels.js';
import { BufferedMetric } from './metric.js';
import { prCurveOf } from './pr-curve.js';
import { readBinaryScores } from './roc-curve.js';

export interface AveragePrecisionOptions {
  /** Averaging over classes for multi-class / multi-label input (default `'macro'`; `null` per class). */
  average?: ScoreAverage | null;
  /** Positive class of a binary problem (default 1). */
  posLabel?: Label;
  /** Classes, in the order of yScore's columns, for multi-class yTrue (default: sorted labels of yTrue). */
  labels?: readonly Label[];
  sampleWeight?: WeightsInput;
}

/** The value type: per-class scores for `average: null`, else a number. */
export type ScoreValue<O> = O extends { average: null } ? number[] : number;

function binaryAp(y: readonly Label[], s: readonly number[], pos: Label, w: readonly number[] | undefined): number {
  const { precision, recall } = prCurveOf(y, s, pos, w);
  let sum = 0;
  for (let i = 0; i < recall.length - 1; i++) sum += (recall[i + 1]! - recall[i]!) * precision[i]!;
  return -sum;
}

/**
 * Average precision AP = Σₙ (Rₙ − Rₙ₋₁)·Pₙ over the precision-recall curve (no interpolation),
 * as scikit-learn's `average_precision_score`. Binary yTrue takes 1-D scores; multi-class yTrue
 * with [n, C] scores is scored one-vs-rest (as scikit-learn ≥ 1.3), an [n, C] indicator yTrue
 * per column.
 *
 * @example
 * averagePrecision([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); // 0.8333
 * averagePrecision([0, 1, 2], [[0.7, 0.2, 0.1], [0.4, 0.3, 0.3], [0.1, 0.8, 0.1]]); // macro over 3 classes
 */
export function averagePrecision<O extends AveragePrecisionOptions>(
  yTrue: MetricInput,
  yScore: MetricInput,
  options?: O,
): ScoreValue<O> {
  const what = 'averagePrecision';
  const o: AveragePrecisionOptions = options ?? {};
  const average = o.average === undefined ? 'macro' : o.average;
  const t = readRaw(yTrue, `${what} (yTrue)`);
  const w = readWeights(o.sampleWeight, t.rows, what);
  if (t.rank === 2 && t.cols > 1) {
    if (o.posLabel !== undefined && o.posLabel !== 1) {
      throw new Error(`${what}: posLabel is fixed to 1 for multilabel-indicator yTrue`);
    }
    const s = readScores(yScore, `${what} (yScore)`);
    if (s.rows !== t.rows || s.cols !== t.cols) throw new Error(`${what}: yTrue and yScore have different shapes`);
    return averageBinaryScore(
      (y, sc, sw) => binaryAp(y, sc, 1, sw), t.values.map(Number), s.values, t.rows, t.cols, average, w, what,
    ) as ScoreValue<O>;
  }
  checkLabelKinds(what, t.values);
  const classes = uniqueLabels(t.values);
  const s = readScores(yScore, `${what} (yScore)`);
  const multiclass = classes.length > 2 || (s.rank === 2 && s.cols > 2) || o.labels !== undefined;
  if (!multiclass) {
    const pos = o.posLabel ?? 1;
    if (classes.length === 2 && !classes.includes(pos)) {
      throw new Error(`${what}: posLabel=${JSON.stringify(pos)} is not a valid label. It should be one of ${JSON.stringify(classes)}`);
    }
    const scores = readBinaryScores(yScore, `${what} (yScore)`);
    if (scores.length !== t.rows) throw new Error(`${what}: yTrue has ${t.rows} samples and yScore ${scores.length}`);
    return binaryAp(t.values, scores, pos, w) as ScoreValue<O>;
  }
  if (o.posLabel !== undefined && o.posLabel !== 1) {
    throw new Error(`${what}: posLabel is fixed to 1 for multiclass yTrue; use labels to choose classes`);
  }
  const cls = o.labels ?? classes;
  if (s.rank !== 2 || s.cols !== cls.length || s.rows !== t.rows) {
    throw new Error(`${what}: multi-class yTrue needs [n, ${cls.length}] scores, one column per class`);
  }
  const ind = labelBinarize(t.values, cls);
  return averageBinaryScore((y, sc, sw) => binaryAp(y, sc, 1, sw), ind, s.values, t.rows, cls.length, average, w, what) as ScoreValue<O>;
}

/** Streaming average precision (keeps the scores). @example new AveragePrecision({ average: 'weighted' }) */
export class AveragePrecision<O extends Omit<AveragePrecisionOptions, 'sampleWeight'> = AveragePrecisionOptions> extends BufferedMetric<
  ScoreValue<O>
> {
  constructor(private readonly options?: O) {
    super('average_precision');
  }

  compute(): ScoreValue<O> {
    const { yTrue, yPred, sampleWeight } = this.data();
    return averagePrecision(yTrue, yPred, { ...this.options, sampleWeight }) as ScoreValue<O>;
  }
}
