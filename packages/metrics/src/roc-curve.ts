import { binaryClfCurve } from './curve-core.js';
import { readLabels, readScores, readWeights, type MetricInput, type WeightsInput } from './input.js';
import type { Label } from './labels.js';
import { BufferedMetric } from './metric.js';
import { warn } from './warnings.js';

export interface CurveOptions {
  /** The positive class (default 1; required unless yTrue is in {0, 1} or {-1, 1}). */
  posLabel?: Label;
  sampleWeight?: WeightsInput;
}

export interface RocCurveOptions extends CurveOptions {
  /** Drop thresholds that are not corners of the ROC curve (default true, as scikit-learn). */
  dropIntermediate?: boolean;
}

export interface RocCurveResult {
  fpr: number[];
  tpr: number[];
  /** Decreasing thresholds; the first is `max(score) + 1` (scikit-learn 1.2). */
  thresholds: number[];
}

/** Reads 1-D binary scores; a [n, 1] matrix is flattened and a [n, 2] one gives its column 1. */
export function readBinaryScores(x: MetricInput, what: string): number[] {
  const m = readScores(x, what);
  if (m.rank === 1 || m.cols === 1) return m.values;
  if (m.cols === 2) return m.values.filter((_, i) => i % 2 === 1);
  throw new Error(`${what}: expected 1-D scores for a binary problem, got a [${m.rows}, ${m.cols}] matrix`);
}

/**
 * Receiver operating characteristic curve of a binary problem, as scikit-learn 1.2's
 * `roc_curve`: tied scores form one point, and with `dropIntermediate` collinear points are
 * dropped. fpr/tpr are NaN (with a warning) when yTrue has no negatives/positives.
 *
 * @example
 * rocCurve([1, 1, 2, 2], [0.1, 0.4, 0.35, 0.8], { posLabel: 2 });
 * // { fpr: [0, 0, 0.5, 0.5, 1], tpr: [0, 0.5, 0.5, 1, 1], thresholds: [1.8, 0.8, 0.4, 0.35, 0.1] }
 */
export function rocCurve(yTrue: MetricInput, yScore: MetricInput, options: RocCurveOptions = {}): RocCurveResult {
  const t = readLabels(yTrue, 'rocCurve (yTrue)');
  const s = readBinaryScores(yScore, 'rocCurve (yScore)');
  return rocCurveOf(t, s, options.posLabel, readWeights(options.sampleWeight, t.length, 'rocCurve'), options.dropIntermediate ?? true);
}

export function rocCurveOf(
  yTrue: readonly Label[],
  yScore: readonly number[],
  posLabel: Label | undefined,
  sampleWeight: readonly number[] | undefined,
  dropIntermediate = true,
): RocCurveResult {
  let { fps, tps, thresholds } = binaryClfCurve(yTrue, yScore, posLabel, sampleWeight, 'rocCurve');
  if (dropIntermediate && fps.length > 2) {
    const keep: number[] = [0];
    for (let i = 0; i < fps.length - 2; i++) {
      const d2f = fps[i + 2]! - fps[i + 1]! - (fps[i + 1]! - fps[i]!);
      const d2t = tps[i + 2]! - tps[i + 1]! - (tps[i + 1]! - tps[i]!);
      if (d2f !== 0 || d2t !== 0) keep.push(i + 1);
    }
    keep.push(fps.length - 1);
    fps = keep.map((i) => fps[i]!);
    tps = keep.map((i) => tps[i]!);
    thresholds = keep.map((i) => thresholds[i]!);
  }
  fps = [0, ...fps];
  tps = [0, ...tps];
  thresholds = [thresholds[0]! + 1, ...thresholds];
  const lastF = fps[fps.length - 1]!;
  const lastT = tps[tps.length - 1]!;
  let fpr: number[];
  let tpr: number[];
  if (lastF <= 0) {
    warn('No negative samples in y_true, false positive value should be meaningless');
    fpr = fps.map(() => NaN);
  } else fpr = fps.map((v) => v / lastF);
  if (lastT <= 0) {
    warn('No positive samples in y_true, true positive value should be meaningless');
    tpr = tps.map(() => NaN);
  } else tpr = tps.map((v) => v / lastT);
  return { fpr, tpr, thresholds };
}

/** Streaming ROC curve (keeps the scores). @example const m = new RocCurve({ posLabel: 1 }); */
export class RocCurve extends BufferedMetric<RocCurveResult> {
  constructor(private readonly options: Omit<RocCurveOptions, 'sampleWeight'> = {}) {
    super('roc_curve');
  }

  compute(): RocCurveResult {
    const { yTrue, yPred, sampleWeight } = this.data();
    return rocCurve(yTrue, yPred, { ...this.options, sampleWeight });
  }
}
