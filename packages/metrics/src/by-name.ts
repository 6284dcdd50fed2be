import { getPlugin, listPlugins, registerPlugin } from '@mapnn/core';
import { Accuracy } from './accuracy.js';
import { AveragePrecision } from './average-precision.js';
import { CohenKappa } from './cohen-kappa.js';
import { ConfusionMatrix } from './confusion-matrix.js';
import { LogLoss } from './log-loss.js';
import { MatthewsCorrcoef } from './matthews.js';
import type { Metric } from './metric.js';
import { F1Score, FbetaScore, Precision, Recall } from './prf.js';
import { ClassificationReport } from './report.js';
import { MeanAbsoluteError, MeanSquaredError, R2Score, RootMeanSquaredError } from './regression.js';
import { RocAuc } from './roc-auc.js';
import { TopKAccuracy } from './top-k.js';

/** Makes a streaming metric from options (the options of the metric's class). */
export type MetricFactory = (options?: Record<string, unknown>) => Metric<unknown>;

type Opts = Record<string, unknown>;
const builtin: Record<string, MetricFactory> = {
  accuracy: (o) => new Accuracy(o as Opts),
  top_k_accuracy: (o) => new TopKAccuracy(o as Opts),
  precision: (o) => new Precision(o as Opts),
  recall: (o) => new Recall(o as Opts),
  f1: (o) => new F1Score(o as Opts),
  fbeta: (o) => new FbetaScore({ beta: 1, ...o }),
  roc_auc: (o) => new RocAuc(o as Opts),
  average_precision: (o) => new AveragePrecision(o as Opts),
  log_loss: (o) => new LogLoss(o as Opts),
  matthews_corrcoef: (o) => new MatthewsCorrcoef(o as Opts),
  cohen_kappa: (o) => new CohenKappa(o as Opts),
  confusion_matrix: (o) => new ConfusionMatrix(o as Opts),
  classification_report: (o) => new ClassificationReport(o as Opts),
  mse: (o) => new MeanSquaredError(o as Opts),
  rmse: (o) => new RootMeanSquaredError(o as Opts),
  mae: (o) => new MeanAbsoluteError(o as Opts),
  r2: (o) => new R2Score(o as Opts),
};

const aliases: Record<string, string> = {
  acc: 'accuracy',
  topk: 'top_k_accuracy',
  top_k: 'top_k_accuracy',
  f1_score: 'f1',
  fbeta_score: 'fbeta',
  precision_score: 'precision',
  recall_score: 'recall',
  auc: 'roc_auc',
  roc_auc_score: 'roc_auc',
  ap: 'average_precision',
  average_precision_score: 'average_precision',
  cross_entropy: 'log_loss',
  mcc: 'matthews_corrcoef',
  kappa: 'cohen_kappa',
  cohen_kappa_score: 'cohen_kappa',
  mean_squared_error: 'mse',
  root_mean_squared_error: 'rmse',
  mean_absolute_error: 'mae',
  r2_score: 'r2',
};

/** Normalizes a metric name: camelCase, kebab-case and spaces become snake_case, lower case. */
function canonical(name: string): string {
  const snake = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .replace(/[-\s]+/g, '_')
    .toLowerCase();
  return aliases[snake] ?? snake;
}

const KIND = 'metric';

/**
 * Registers a metric factory under `name` in the core plugin registry, so `metricByName` (and
 * `fit`) can make it.
 *
 * @example registerMetric('hit_rate', () => new MyHitRate());
 */
export function registerMetric(name: string, factory: MetricFactory): void {
  registerPlugin(KIND, canonical(name), factory);
}

/** Names `metricByName` accepts (built-ins and registered metrics; aliases not listed). */
export function metricNames(): string[] {
  return [...new Set([...Object.keys(builtin), ...listPlugins(KIND)])].sort();
}

/**
 * Makes a streaming metric by name, so training loops can take metric names. Names are
 * scikit-learn's or camelCase ('accuracy', 'f1', 'f1Score', 'roc_auc', 'mse', 'r2', …; see
 * `metricNames()`); options go to the metric's constructor.
 *
 * @example
 * const m = metricByName('f1', { average: 'macro' }); // new F1Score({ average: 'macro' })
 * m.update(yTrue, yPred);
 * m.compute();
 */
export function metricByName(name: string, options?: Record<string, unknown>): Metric<unknown> {
  const key = canonical(name);
  const factory = getPlugin<MetricFactory>(KIND, key) ?? builtin[key];
  if (!factory) throw new Error(`metricByName: unknown metric '${name}'; known: ${metricNames().join(', ')}`);
  return factory(options);
}
