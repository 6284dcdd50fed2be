import { averageBinaryScore, labelBinarize, type ScoreAverage } from './average-binary.js';
import type { ScoreValue } from './average-precision.js';
import { auc } from './curve-core.js';
import { readRaw, readScores, readWeights, type MetricInput, type WeightsInput } from './input.js';
import { checkLabelKinds, checkSortedUnique, uniqueLabels, type Label } from './labels.js';
import { BufferedMetric } from './metric.js';
import { readBinaryScores, rocCurveOf } from './roc-curve.js';

export interface RocAucOptions {
  /**
   * Averaging over classes (default `'macro'`): one-vs-rest takes `'macro' | 'weighted' |
   * 'micro' | null`, one-vs-one `'macro' | 'weighted'`; multi-label also `'samples'`.
   */
  average?: ScoreAverage | null;
  /** Multi-class strategy: one-vs-rest (default) or one-vs-one (Hand & Till). */
  multiClass?: 'ovr' | 'ovo';
  /** Classes in the order of yScore's columns (sorted, unique; default: sorted labels of yTrue). */
  labels?: readonly Label[];
  /** Binary only: standardized partial AUC over fpr ∈ [0, maxFpr] (McClish). */
  maxFpr?: number;
  sampleWeight?: WeightsInput;
}

function binaryRocAuc(y: number[], s: number[], w: number[] | undefined, maxFpr: number | undefined): number {
  if (new Set(y).size !== 2) {
    throw new Error('rocAucScore: only one class present in yTrue. ROC AUC score is not defined in that case.');
  }
  const { fpr, tpr } = rocCurveOf(y, s, undefined, w);
  if (maxFpr === undefined || maxFpr === 1) return auc(fpr, tpr);
  if (!(maxFpr > 0 && maxFpr <= 1)) throw new Error(`rocAucScore: expected maxFpr in range (0, 1], got ${maxFpr}`);
  let stop = 0;
  while (stop < fpr.length && fpr[stop]! <= maxFpr) stop++;
  const x0 = fpr[stop - 1]!;
  const x1 = fpr[stop]!;
  const y0 = tpr[stop - 1]!;
  const y1 = tpr[stop]!;
  const slope = (y1 - y0) / (x1 - x0);
  const partial = auc([...fpr.slice(0, stop), maxFpr], [...tpr.slice(0, stop), slope * (maxFpr - x0) + y0]);
  const minArea = 0.5 * maxFpr ** 2;
  const maxArea = maxFpr;
  return 0.5 * (1 + (partial - minArea) / (maxArea - minArea));
}

/**
 * Area under the ROC curve, as scikit-learn's `roc_auc_score`: binary (1-D scores of the greater
 * label; a [n, 2] matrix gives its column 1), multi-class from [n, C] probabilities one-vs-rest
 * (default) or one-vs-one, or multi-label from an [n, C] indicator yTrue. Ties in scores count
 * half, as the trapezoids of `rocCurve` do.
 *
 * @example
 * rocAucScore([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); // 0.75
 * rocAucScore([0, 1, 2, 2], [[0.8, 0.1, 0.1], [0.3, 0.4, 0.3], [0.1, 0.2, 0.7], [0.2, 0.5, 0.3]], { average: 'weighted' }); // 0.8542
 */
export function rocAucScore<O extends RocAucOptions>(yTrue: MetricInput, yScore: MetricInput, options?: O): ScoreValue<O> {
  const what = 'rocAucScore';
  const o: RocAucOptions = options ?? {};
  const average = o.average === undefined ? 'macro' : o.average;
  const t = readRaw(yTrue, `${what} (yTrue)`);
  const w = readWeights(o.sampleWeight, t.rows, what);
  const s = readScores(yScore, `${what} (yScore)`);
  if (s.rows !== t.rows) throw new Error(`${what}: yTrue has ${t.rows} samples and yScore ${s.rows}`);
  if (t.rank === 2 && t.cols > 1) {
    if (s.cols !== t.cols) throw new Error(`${what}: yTrue and yScore have different shapes`);
    return averageBinaryScore(
      (y, sc, sw) => binaryRocAuc(y, sc, sw, o.maxFpr), t.values.map(Number), s.values, t.rows, t.cols, average, w, what,
    ) as ScoreValue<O>;
  }
  checkLabelKinds(what, t.values);
  const present = uniqueLabels(t.values);
  if (present.length > 2 || (s.rank === 2 && s.cols > 2)) {
    return multiclassRocAuc(t.values, s.values, s.rows, s.cols, o, average, w) as ScoreValue<O>;
  }
  const scores = readBinaryScores(yScore, `${what} (yScore)`);
  const y = t.values.map((v) => (present.length === 2 && v === present[1] ? 1 : 0));
  if (present.length < 2) {
    throw new Error(`${what}: only one class present in yTrue. ROC AUC score is not defined in that case.`);
  }
  return binaryRocAuc(y, scores, w, o.maxFpr) as ScoreValue<O>;
}

function multiclassRocAuc(
  yTrue: Label[],
  scores: number[],
  rows: number,
  cols: number,
  o: RocAucOptions,
  average: ScoreAverage | null,
  w: number[] | undefined,
): number | number[] {
  const what = 'rocAucScore';
  if (o.maxFpr !== undefined && o.maxFpr !== 1) {
    throw new Error(`${what}: partial AUC computation not available in multiclass setting, 'maxFpr' must be unset`);
  }
  for (let i = 0; i < rows; i++) {
    let sum = 0;
    for (let j = 0; j < cols; j++) sum += scores[i * cols + j]!;
    if (!(Math.abs(1 - sum) <= 1e-8 + 1e-5 * Math.abs(sum))) {
      throw new Error(`${what}: target scores need to be probabilities for multiclass roc_auc, i.e. they should sum up to 1.0 over classes`);
    }
  }
  const multiClass = o.multiClass ?? 'ovr';
  const allowed = multiClass === 'ovr' ? ['micro', 'macro', 'weighted', null] : ['macro', 'weighted', null];
  if (multiClass !== 'ovr' && multiClass !== 'ovo') throw new Error(`${what}: multiClass must be 'ovr' or 'ovo'`);
  if (!allowed.includes(average)) throw new Error(`${what}: average must be one of ${JSON.stringify(allowed)} for multiclass problems`);
  if (average === null && multiClass === 'ovo') throw new Error(`${what}: average=null is not implemented for multiClass='ovo'`);
  let classes: readonly Label[];
  if (o.labels !== undefined) {
    checkSortedUnique(what, o.labels);
    classes = o.labels;
    if (classes.length !== cols) {
      throw new Error(`${what}: number of given labels, ${classes.length}, not equal to the number of columns in 'yScore', ${cols}`);
    }
    const known = new Set(classes);
    if (yTrue.some((l) => !known.has(l))) throw new Error(`${what}: 'yTrue' contains labels not in parameter 'labels'`);
  } else {
    classes = uniqueLabels(yTrue);
    if (classes.length !== cols) {
      throw new Error(`${what}: number of classes in yTrue not equal to the number of columns in 'yScore'`);
    }
  }
  if (multiClass === 'ovr') {
    const ind = labelBinarize(yTrue, classes);
    return averageBinaryScore((y, sc, sw) => binaryRocAuc(y, sc, sw, undefined), ind, scores, rows, cols, average, w, what);
  }
  if (w) throw new Error(`${what}: sampleWeight is not supported for multiclass one-vs-one ROC AUC`);
  const index = new Map(classes.map((c, i) => [c, i] as const));
  const enc = yTrue.map((l) => index.get(l)!);
  const present = [...new Set(enc)].sort((a, b) => a - b);
  const pairScores: number[] = [];
  const prevalence: number[] = [];
  for (let ia = 0; ia < present.length; ia++) {
    for (let ib = ia + 1; ib < present.length; ib++) {
      const a = present[ia]!;
      const b = present[ib]!;
      const rowsAb = enc.map((e, i) => (e === a || e === b ? i : -1)).filter((i) => i >= 0);
      prevalence.push(rowsAb.length / rows);
      const aTrue = rowsAb.map((i) => (enc[i] === a ? 1 : 0));
      const bTrue = rowsAb.map((i) => (enc[i] === b ? 1 : 0));
      const aScore = binaryRocAuc(aTrue, rowsAb.map((i) => scores[i * cols + a]!), undefined, undefined);
      const bScore = binaryRocAuc(bTrue, rowsAb.map((i) => scores[i * cols + b]!), undefined, undefined);
      pairScores.push((aScore + bScore) / 2);
    }
  }
  if (average === 'weighted') {
    let num = 0;
    let den = 0;
    pairScores.forEach((p, i) => {
      num += p * prevalence[i]!;
      den += prevalence[i]!;
    });
    return num / den;
  }
  return pairScores.reduce((x, y) => x + y, 0) / pairScores.length;
}

/**
 * Streaming ROC AUC (keeps the scores; options as `rocAucScore`).
 *
 * @example
 * const m = new RocAuc();
 * m.update([0, 1], [0.2, 0.9]);
 * m.update([1, 0], [0.6, 0.7]);
 * m.compute(); // 0.75
 */
export class RocAuc<O extends Omit<RocAucOptions, 'sampleWeight'> = RocAucOptions> extends BufferedMetric<ScoreValue<O>> {
  constructor(private readonly options?: O) {
    super('roc_auc');
  }

  compute(): ScoreValue<O> {
    const { yTrue, yPred, sampleWeight } = this.data();
    return rocAucScore(yTrue, yPred, { ...this.options, sampleWeight }) as ScoreValue<O>;
  }
}
