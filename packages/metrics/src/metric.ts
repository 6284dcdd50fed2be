import { LabelCounts } from './counts.js';
import {
  checkSameLength,
  parsedInput,
  readLabels,
  readPredLabels,
  readRaw,
  readWeights,
  type Matrix,
  type MetricInput,
  type WeightsInput,
} from './input.js';
import type { Label } from './labels.js';

/**
 * A streaming metric: feed batches with `update(yTrue, yPred, sampleWeight?)`, read the value
 * with `compute()` (equal to the functional metric on the concatenated batches), start over
 * with `reset()`.
 *
 * @example
 * const acc = new Accuracy();
 * acc.update([0, 1], [0, 0]);
 * acc.update([1], [1]);
 * acc.compute(); // 2/3
 */
export interface Metric<T = number> {
  /** Short name, e.g. `'accuracy'`, `'f1'`, `'roc_auc'`. */
  readonly name: string;
  update(yTrue: MetricInput, yPred: MetricInput, sampleWeight?: WeightsInput): void;
  compute(): T;
  reset(): void;
}

/** Options every label-based metric takes. */
export interface LabelInputOptions {
  /** Per-sample weights. */
  sampleWeight?: WeightsInput;
  /**
   * Turns 1-D scores in `yPred` into labels `score > threshold ? 1 : 0` (a [n, C] score matrix
   * always becomes its row-wise argmax).
   */
  threshold?: number;
}

/** Reads labels and weights into a fresh LabelCounts. */
export function countLabels(
  yTrue: MetricInput,
  yPred: MetricInput,
  options: LabelInputOptions,
  what: string,
): LabelCounts {
  const c = new LabelCounts();
  addLabels(c, yTrue, yPred, options.sampleWeight, options.threshold, what);
  return c;
}

function addLabels(
  c: LabelCounts,
  yTrue: MetricInput,
  yPred: MetricInput,
  sampleWeight: WeightsInput | undefined,
  threshold: number | undefined,
  what: string,
): void {
  const t = readLabels(yTrue, `${what} (yTrue)`);
  const p = readPredLabels(yPred, `${what} (yPred)`, threshold);
  checkSameLength(what, t.length, p.length);
  c.add(t, p, readWeights(sampleWeight, t.length, what), what);
}

/** Base of streaming label-based metrics: accumulates a LabelCounts. */
export abstract class LabelMetric<T> implements Metric<T> {
  protected readonly counts = new LabelCounts();
  constructor(
    readonly name: string,
    private readonly threshold?: number,
  ) {}

  update(yTrue: MetricInput, yPred: MetricInput, sampleWeight?: WeightsInput): void {
    addLabels(this.counts, yTrue, yPred, sampleWeight, this.threshold, this.name);
  }

  abstract compute(): T;

  reset(): void {
    this.counts.reset();
  }
}

/** Concatenates matrices along rows (all of one rank and width). */
export function concatRows<T>(parts: readonly Matrix<T>[], what: string): Matrix<T> {
  if (parts.length === 0) return { values: [], rows: 0, cols: 1, rank: 1 };
  const { cols, rank } = parts[0]!;
  const values: T[] = [];
  let rows = 0;
  for (const p of parts) {
    if (p.cols !== cols || p.rank !== rank) {
      throw new Error(`${what}: batches differ in shape (${p.rank === 2 ? `[n, ${p.cols}]` : '[n]'} after ${
        rank === 2 ? `[n, ${cols}]` : '[n]'
      })`);
    }
    for (const v of p.values) values.push(v);
    rows += p.rows;
  }
  return { values, rows, cols, rank };
}

/**
 * Base of streaming metrics that need all the data (curves, ranking metrics, log loss): keeps
 * the batches and computes the functional metric on their concatenation.
 */
export abstract class BufferedMetric<T> implements Metric<T> {
  private trues: Matrix<Label>[] = [];
  private preds: Matrix<Label>[] = [];
  private weights: (number[] | undefined)[] = [];

  constructor(readonly name: string) {}

  update(yTrue: MetricInput, yPred: MetricInput, sampleWeight?: WeightsInput): void {
    const t = readRaw(yTrue, `${this.name} (yTrue)`);
    const p = readRaw(yPred, `${this.name} (yPred)`);
    checkSameLength(this.name, t.rows, p.rows);
    this.trues.push(t);
    this.preds.push(p);
    this.weights.push(readWeights(sampleWeight, t.rows, this.name));
  }

  /** The concatenated batches (weights undefined unless some batch had them; others count 1). */
  protected data(): { yTrue: MetricInput; yPred: MetricInput; sampleWeight: number[] | undefined } {
    const yTrue = parsedInput(concatRows(this.trues, this.name));
    const yPred = parsedInput(concatRows(this.preds, this.name));
    let sampleWeight: number[] | undefined;
    if (this.weights.some((w) => w !== undefined)) {
      sampleWeight = [];
      this.weights.forEach((w, i) => {
        if (w) sampleWeight!.push(...w);
        else for (let j = 0; j < this.trues[i]!.rows; j++) sampleWeight!.push(1);
      });
    }
    return { yTrue, yPred, sampleWeight };
  }

  abstract compute(): T;

  reset(): void {
    this.trues = [];
    this.preds = [];
    this.weights = [];
  }
}
