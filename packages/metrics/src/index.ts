/**
 * @mapnn/metrics — classification, ranking and regression metrics matching scikit-learn, each
 * as a function over Tensors or plain arrays and as a streaming class (`update` per batch,
 * `compute`, `reset`), plus `metricByName` for training loops. Values are computed in float64
 * JavaScript over the data (tensors are read with `dataSync`).
 */
export type { Label } from './labels.js';
export type { MetricInput, WeightsInput } from './input.js';
export type { Metric, LabelInputOptions } from './metric.js';
export { setWarningHandler, type MetricWarning, type WarningHandler } from './warnings.js';

export { accuracy, Accuracy, type AccuracyOptions } from './accuracy.js';
export { topKAccuracy, TopKAccuracy, type TopKAccuracyOptions } from './top-k.js';
export {
  precision,
  recall,
  f1Score,
  fbetaScore,
  precisionRecallFscoreSupport,
  Precision,
  Recall,
  F1Score,
  FbetaScore,
  type Average,
  type ZeroDivision,
  type PrfOptions,
  type FbetaOptions,
  type PrfValue,
  type PrfsResult,
} from './prf.js';
export { confusionMatrix, ConfusionMatrix, type ConfusionMatrixOptions } from './confusion-matrix.js';
export { matthewsCorrcoef, MatthewsCorrcoef } from './matthews.js';
export { cohenKappaScore, CohenKappa, type CohenKappaOptions } from './cohen-kappa.js';
export { auc } from './curve-core.js';
export { rocCurve, RocCurve, type RocCurveOptions, type RocCurveResult, type CurveOptions } from './roc-curve.js';
export { precisionRecallCurve, PrecisionRecallCurve, type PrecisionRecallCurveResult } from './pr-curve.js';
export { rocAucScore, RocAuc, type RocAucOptions } from './roc-auc.js';
export { averagePrecision, AveragePrecision, type AveragePrecisionOptions, type ScoreValue } from './average-precision.js';
export type { ScoreAverage } from './average-binary.js';
export { logLoss, LogLoss, type LogLossOptions } from './log-loss.js';
export {
  meanSquaredError,
  meanAbsoluteError,
  rootMeanSquaredError,
  r2Score,
  MeanSquaredError,
  MeanAbsoluteError,
  RootMeanSquaredError,
  R2Score,
  type Multioutput,
  type RegressionOptions,
  type R2Options,
  type RegressionValue,
} from './regression.js';
export {
  classificationReport,
  ClassificationReport,
  type ClassificationReportOptions,
  type ClassificationReportDict,
  type ReportRow,
  type ReportValue,
} from './report.js';
export { metricByName, metricNames, registerMetric, type MetricFactory } from './by-name.js';
