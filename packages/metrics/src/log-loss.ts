import { isSinglePrecision, readLabels, readScores, readWeights, type MetricInput, type WeightsInput } from './input.js';
import { uniqueLabels, type Label } from './labels.js';
import { BufferedMetric } from './metric.js';

export interface LogLossOptions {
  /**
   * Probabilities are clipped to [eps, 1 − eps]. `'auto'` (default), as scikit-learn 1.2, uses
   * the machine epsilon of yPred's dtype: 2⁻²³ for float32 tensors/arrays, else 2⁻⁵².
   */
  eps?: number | 'auto';
  /** Mean loss per sample (default) or, with `false`, the (weighted) sum. */
  normalize?: boolean;
  /** All classes, if yTrue may miss some (columns of yPred follow their sorted order). */
  labels?: readonly Label[];
  sampleWeight?: WeightsInput;
}

/**
 * Log loss (cross-entropy) of predicted probabilities, as scikit-learn 1.2's `log_loss`:
 * yPred is [n, C] (columns = sorted classes) or, for two classes, 1-D probabilities of the
 * greater class; rows are clipped to [eps, 1 − eps] and renormalized to sum to 1.
 *
 * @example
 * logLoss(['spam', 'ham', 'ham', 'spam'], [[0.1, 0.9], [0.9, 0.1], [0.8, 0.2], [0.35, 0.65]]); // 0.2162
 * logLoss([0, 1, 1], [0.1, 0.8, 0.6]); // 0.2798
 */
export function logLoss(yTrue: MetricInput, yPred: MetricInput, options: LogLossOptions = {}): number {
  const what = 'logLoss';
  const t = readLabels(yTrue, `${what} (yTrue)`);
  const p = readScores(yPred, `${what} (yPred)`);
  if (p.rows !== t.length) {
    throw new Error(`${what}: found input variables with inconsistent numbers of samples: [${p.rows}, ${t.length}]`);
  }
  const w = readWeights(options.sampleWeight, t.length, what);
  const epsOpt = options.eps ?? 'auto';
  const eps = epsOpt === 'auto' ? (isSinglePrecision(yPred) ? 2 ** -23 : 2 ** -52) : epsOpt;
  const classes = uniqueLabels(options.labels ?? t);
  if (classes.length === 1) {
    throw new Error(
      options.labels === undefined
        ? `${what}: yTrue contains only one label (${classes[0]}). Please provide the true labels explicitly through the labels argument.`
        : `${what}: the labels array needs to contain at least two labels for log_loss, got ${JSON.stringify(classes)}.`,
    );
  }
  if (classes.length === 0) throw new Error(`${what}: no labels`);
  const index = new Map(classes.map((c, i) => [c, i] as const));
  const cols = p.rank === 1 || p.cols === 1 ? 2 : p.cols;
  if (cols !== classes.length) {
    throw new Error(
      options.labels === undefined
        ? `${what}: yTrue and yPred contain different number of classes ${classes.length}, ${cols}. Please provide the true labels explicitly through the labels argument. Classes found in yTrue: ${JSON.stringify(classes)}`
        : `${what}: the number of classes in labels is different from that in yPred. Classes found in labels: ${JSON.stringify(classes)}`,
    );
  }
  const clip = (v: number) => Math.min(Math.max(v, eps), 1 - eps);
  const loss: number[] = new Array(t.length);
  for (let i = 0; i < t.length; i++) {
    const k = index.get(t[i]!);
    if (k === undefined) throw new Error(`${what}: yTrue contains label ${JSON.stringify(t[i])} not in labels`);
    let row: number[];
    if (p.rank === 1 || p.cols === 1) {
      const q = clip(p.values[i]!);
      row = [1 - q, q];
    } else {
      row = p.values.slice(i * cols, (i + 1) * cols).map(clip);
    }
    let sum = 0;
    for (const v of row) sum += v;
    loss[i] = -Math.log(row[k]! / sum);
  }
  const normalize = options.normalize ?? true;
  if (!w) {
    const total = loss.reduce((a, b) => a + b, 0);
    return normalize ? total / loss.length : total;
  }
  let s = 0;
  let sw = 0;
  loss.forEach((l, i) => {
    s += l * w[i]!;
    sw += w[i]!;
  });
  if (!normalize) return s;
  if (sw === 0) throw new Error(`${what}: weights sum to zero, can't be normalized`);
  return s / sw;
}

/** Streaming log loss (keeps the batches; options as `logLoss`). @example new LogLoss({ labels: [0, 1, 2] }) */
export class LogLoss extends BufferedMetric<number> {
  private single = false;

  constructor(private readonly options: Omit<LogLossOptions, 'sampleWeight'> = {}) {
    super('log_loss');
  }

  override update(yTrue: MetricInput, yPred: MetricInput, sampleWeight?: WeightsInput): void {
    super.update(yTrue, yPred, sampleWeight);
    if (isSinglePrecision(yPred)) this.single = true;
  }

  compute(): number {
    const { yTrue, yPred, sampleWeight } = this.data();
    const eps = (this.options.eps ?? 'auto') === 'auto' ? (this.single ? 2 ** -23 : 2 ** -52) : this.options.eps;
    return logLoss(yTrue, yPred, { ...this.options, eps, sampleWeight });
  }

  override reset(): void {
    super.reset();
    this.single = false;
  }
}
