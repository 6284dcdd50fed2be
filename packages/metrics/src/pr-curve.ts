import { binaryClfCurve } from './curve-core.js';
import { readLabels, readWeights, type MetricInput } from './input.js';
import type { Label } from './labels.js';
import { BufferedMetric } from './metric.js';
import { readBinaryScores, type CurveOptions } from './roc-curve.js';
import { warn } from './warnings.js';

export interface PrecisionRecallCurveResult {
  /** Precision per threshold, ending with 1. */
  precision: number[];
  /** Recall per threshold (decreasing), ending with 0. */
  recall: number[];
  /** Increasing distinct scores. */
  thresholds: number[];
}

/**
 * Precision-recall pairs for each distinct score threshold, as scikit-learn 1.2's
 * `precision_recall_curve` (tied scores form one point; the last pair is (1, 0)).
 *
 * @example
 * precisionRecallCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
 * // { precision: [0.5, 0.6667, 0.5, 1, 1], recall: [1, 1, 0.5, 0.5, 0], thresholds: [0.1, 0.35, 0.4, 0.8] }
 */
export function precisionRecallCurve(
  yTrue: MetricInput,
  probasPred: MetricInput,
  options: CurveOptions = {},
): PrecisionRecallCurveResult {
  const t = readLabels(yTrue, 'precisionRecallCurve (yTrue)');
  const s = readBinaryScores(probasPred, 'precisionRecallCurve (probasPred)');
  return prCurveOf(t, s, options.posLabel, readWeights(options.sampleWeight, t.length, 'precisionRecallCurve'));
}

export function prCurveOf(
  yTrue: readonly Label[],
  yScore: readonly number[],
  posLabel: Label | undefined,
  sampleWeight: readonly number[] | undefined,
): PrecisionRecallCurveResult {
  const { fps, tps, thresholds } = binaryClfCurve(yTrue, yScore, posLabel, sampleWeight, 'precisionRecallCurve');
  const precision = tps.map((tp, i) => {
    const ps = tp + fps[i]!;
    return ps !== 0 ? tp / ps : 0;
  });
  const last = tps[tps.length - 1]!;
  let recall: number[];
  if (last === 0) {
    warn('No positive class found in y_true, recall is set to one for all thresholds.', 'UserWarning');
    recall = tps.map(() => 1);
  } else recall = tps.map((tp) => tp / last);
  return {
    precision: [...precision.reverse(), 1],
    recall: [...recall.reverse(), 0],
    thresholds: thresholds.slice().reverse(),
  };
}

/** Streaming precision-recall curve (keeps the scores). @example new PrecisionRecallCurve({ posLabel: 'spam' }) */
export class PrecisionRecallCurve extends BufferedMetric<PrecisionRecallCurveResult> {
  constructor(private readonly options: Omit<CurveOptions, 'sampleWeight'> = {}) {
    super('precision_recall_curve');
  }

  compute(): PrecisionRecallCurveResult {
    const { yTrue, yPred, sampleWeight } = this.data();
    return precisionRecallCurve(yTrue, yPred, { ...this.options, sampleWeight });
  }
}
