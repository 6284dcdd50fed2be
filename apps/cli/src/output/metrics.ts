import {
  accuracy,
  classificationReport,
  confusionMatrix,
  f1Score,
  meanAbsoluteError,
  meanSquaredError,
  precision,
  r2Score,
  recall,
  rootMeanSquaredError,
  setWarningHandler,
} from '@mapnn/metrics';
import { keyValues, num, pct, table } from './table.js';

export interface ClassificationMetrics {
  task: 'classification';
  samples: number;
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  classes: string[];
  /** Rows: true class, columns: predicted class. */
  confusionMatrix: number[][];
  /** scikit-learn's classification report (text). */
  report: string;
}

export interface RegressionMetrics {
  task: 'regression';
  samples: number;
  mse: number;
  rmse: number;
  mae: number;
  r2: number;
}

export type Metrics = ClassificationMetrics | RegressionMetrics;

/** Accuracy, macro precision / recall / F1, confusion matrix and report (@mapnn/metrics). */
export function classificationMetrics(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, classes: string[]): ClassificationMetrics {
  setWarningHandler(() => {}); // classes never predicted count as 0, silently
  const t = Array.from(yTrue);
  const p = Array.from(yPred);
  const labels = classes.map((_, i) => i);
  const opts = { average: 'macro' as const, labels, zeroDivision: 0 as const };
  return {
    task: 'classification',
    samples: t.length,
    accuracy: accuracy(t, p),
    precision: precision(t, p, opts) as number,
    recall: recall(t, p, opts) as number,
    f1: f1Score(t, p, opts) as number,
    classes,
    confusionMatrix: confusionMatrix(t, p, { labels }),
    report: classificationReport(t, p, { labels, targetNames: classes, digits: 4, zeroDivision: 0 }) as string,
  };
}

export function regressionMetrics(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): RegressionMetrics {
  const t = Array.from(yTrue);
  const p = Array.from(yPred);
  return {
    task: 'regression',
    samples: t.length,
    mse: meanSquaredError(t, p) as number,
    rmse: rootMeanSquaredError(t, p) as number,
    mae: meanAbsoluteError(t, p) as number,
    r2: r2Score(t, p) as number,
  };
}

/** The confusion matrix as a table (rows: true class, columns: predicted). */
export function formatConfusion(m: ClassificationMetrics, indent = '  '): string {
  const short = m.classes.map((c) => (c.length > 10 ? `${c.slice(0, 9)}…` : c));
  return table(['true \\ pred', ...short], m.confusionMatrix.map((row, i) => [short[i]!, ...row]), indent);
}

/** The summary of a metrics object, as printed after training and by `eval`. */
export function formatMetrics(m: Metrics, options: { report?: boolean } = {}): string {
  if (m.task === 'regression') {
    return keyValues([
      ['samples', m.samples],
      ['MSE', num(m.mse)],
      ['RMSE', num(m.rmse)],
      ['MAE', num(m.mae)],
      ['R²', num(m.r2)],
    ]);
  }
  const parts = [
    keyValues([
      ['samples', m.samples],
      ['accuracy', pct(m.accuracy)],
      ['macro precision', num(m.precision)],
      ['macro recall', num(m.recall)],
      ['macro F1', num(m.f1)],
    ]),
  ];
  if (options.report) parts.push('', m.report.split('\n').map((l) => (l.trim() ? `  ${l}` : '')).join('\n').trimEnd());
  parts.push('', '  confusion matrix (rows: true class, columns: predicted)', formatConfusion(m, '  '));
  return parts.join('\n');
}

/** The headline numbers (for config.json and JSON output). */
export function headline(m: Metrics): Record<string, number> {
  if (m.task === 'regression') return { mse: m.mse, rmse: m.rmse, mae: m.mae, r2: m.r2 };
  return { accuracy: m.accuracy, precision_macro: m.precision, recall_macro: m.recall, f1_macro: m.f1 };
}
