import type { LabelCounts } from './counts.js';
import type { MetricInput } from './input.js';
import { labelName, type Label } from './labels.js';
import { countLabels, LabelMetric, type LabelInputOptions } from './metric.js';
import { prfsFromCounts, type Average, type ZeroDivision } from './prf-core.js';
import { pyFixed, pyFloatRepr, rjust } from './pyformat.js';
import { warn } from './warnings.js';

export interface ClassificationReportOptions extends LabelInputOptions {
  /** Classes to report, in order (default: sorted labels of yTrue and yPred). */
  labels?: readonly Label[];
  /** Display names of the classes (default: the labels). */
  targetNames?: readonly string[];
  /** Digits of the text table (default 2). */
  digits?: number;
  zeroDivision?: ZeroDivision;
  /** Return scikit-learn's `output_dict` structure instead of the text table. */
  outputDict?: boolean;
}

/** One row of the report. */
export interface ReportRow {
  precision: number;
  recall: number;
  'f1-score': number;
  support: number;
}

/**
 * The structured report, as scikit-learn's `output_dict=True`: one row per class name, then
 * `accuracy` (a number; `'micro avg'` row instead when `labels` leaves out present classes),
 * `'macro avg'` and `'weighted avg'`.
 */
export type ClassificationReportDict = Record<string, ReportRow | number>;

export type ReportValue<O> = O extends { outputDict: true } ? ClassificationReportDict : string;

/**
 * scikit-learn's `classification_report`: precision, recall, F1 and support per class, then
 * accuracy, macro and weighted averages, as the same text table (or, with `outputDict`, the
 * same structure).
 *
 * @example
 * console.log(classificationReport([0, 1, 2, 2, 2], [0, 0, 2, 2, 1], { targetNames: ['class 0', 'class 1', 'class 2'] }));
 * //               precision    recall  f1-score   support
 * //
 * //      class 0       0.50      1.00      0.67         1
 * //      class 1       0.00      0.00      0.00         1
 * //      class 2       1.00      0.67      0.80         3
 * //
 * //     accuracy                           0.60         5
 * //    macro avg       0.50      0.56      0.49         5
 * // weighted avg       0.70      0.60      0.61         5
 */
export function classificationReport<O extends ClassificationReportOptions>(
  yTrue: MetricInput,
  yPred: MetricInput,
  options?: O,
): ReportValue<O> {
  const o: ClassificationReportOptions = options ?? {};
  return reportFromCounts(countLabels(yTrue, yPred, o, 'classificationReport'), o) as ReportValue<O>;
}

export function reportFromCounts(c: LabelCounts, o: ClassificationReportOptions): string | ClassificationReportDict {
  const what = 'classificationReport';
  const present = c.presentLabels();
  const labelsGiven = o.labels !== undefined;
  const labels = o.labels ?? present;
  const same = labelsGiven && new Set(labels).size === present.length && present.every((l) => labels.includes(l));
  const microIsAccuracy = !labelsGiven || same;
  if (o.targetNames !== undefined && labels.length !== o.targetNames.length) {
    if (labelsGiven) warn(`labels size, ${labels.length}, does not match size of target_names, ${o.targetNames.length}`, 'UserWarning');
    else {
      throw new Error(
        `${what}: number of classes, ${labels.length}, does not match size of targetNames, ${o.targetNames.length}. Try specifying the labels parameter`,
      );
    }
  }
  const names = o.targetNames ?? labels.map(labelName);
  const digits = o.digits ?? 2;
  const zd = o.zeroDivision ?? 'warn';
  const all = ['precision', 'recall', 'f-score'] as const;
  const per = prfsFromCounts(c, { labels, average: null, zeroDivision: zd }, all, what);
  const p = per.precision as number[];
  const r = per.recall as number[];
  const f = per.fScore as number[];
  const s = per.support!;
  const n = Math.min(names.length, labels.length); // Python's zip stops at the shorter
  const totalSupport = s.reduce((a, b) => a + b, 0);
  const avgs = (['micro', 'macro', 'weighted'] as Average[]).map((average) => {
    const a = prfsFromCounts(c, { labels, average, zeroDivision: zd }, all, what);
    const heading = average === 'micro' && microIsAccuracy ? 'accuracy' : `${average} avg`;
    return { heading, row: { precision: a.precision as number, recall: a.recall as number, 'f1-score': a.fScore as number, support: totalSupport } };
  });
  if (o.outputDict) {
    const dict: ClassificationReportDict = {};
    for (let i = 0; i < n; i++) dict[names[i]!] = { precision: p[i]!, recall: r[i]!, 'f1-score': f[i]!, support: s[i]! };
    for (const { heading, row } of avgs) dict[heading] = heading === 'accuracy' ? row.precision : row;
    return dict;
  }
  // scikit-learn's supports are float64 (printed as 3.0) with sample weights, and also when no
  // sample at all is predicted correctly (its multilabel_confusion_matrix then starts from zeros).
  const floatSupport = c.weighted || c.nCorrect === 0;
  const fmtSupport = (v: number) => (floatSupport ? pyFloatRepr(v) : String(v));
  const width = Math.max(...names.slice(0, n).map((x) => x.length), 'weighted avg'.length, digits);
  const num = (v: number) => ` ${rjust(pyFixed(v, digits), 9)}`;
  let out = `${rjust('', width)} ${['precision', 'recall', 'f1-score', 'support'].map((h) => ` ${rjust(h, 9)}`).join('')}\n\n`;
  for (let i = 0; i < n; i++) out += `${rjust(names[i]!, width)} ${num(p[i]!)}${num(r[i]!)}${num(f[i]!)} ${rjust(fmtSupport(s[i]!), 9)}\n`;
  out += '\n';
  for (const { heading, row } of avgs) {
    if (heading === 'accuracy') {
      out += `${rjust(heading, width)} ${' '.repeat(10)}${' '.repeat(10)}${num(row['f1-score'])} ${rjust(fmtSupport(row.support), 9)}\n`;
    } else {
      out += `${rjust(heading, width)} ${num(row.precision)}${num(row.recall)}${num(row['f1-score'])} ${rjust(fmtSupport(row.support), 9)}\n`;
    }
  }
  return out;
}

/**
 * Streaming classification report (options as `classificationReport`).
 *
 * @example
 * const m = new ClassificationReport({ digits: 3 });
 * m.update(yTrueBatch, yPredBatch);
 * console.log(m.compute());
 */
export class ClassificationReport<O extends Omit<ClassificationReportOptions, 'sampleWeight'> = ClassificationReportOptions> extends LabelMetric<
  ReportValue<O>
> {
  constructor(private readonly options?: O) {
    super('classification_report', options?.threshold);
  }

  compute(): ReportValue<O> {
    return reportFromCounts(this.counts, this.options ?? {}) as ReportValue<O>;
  }
}
