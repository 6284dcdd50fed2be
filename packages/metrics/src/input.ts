import { isTensor, type Tensor } from '@mapnn/core';
import { checkLabelKinds, type Label } from './labels.js';

/**
 * What metrics accept for targets, predictions and scores: a core `Tensor` (read with
 * `dataSync`), a plain or typed array, or a nested array for a [n, C] matrix. Labels may be
 * integers or strings; scores are numbers.
 */
export type MetricInput =
  | Tensor
  | ArrayLike<number>
  | readonly Label[]
  | readonly (readonly number[])[]
  | readonly ArrayLike<number>[];

/** Per-sample weights: a Tensor or an array of n numbers. */
export type WeightsInput = Tensor | ArrayLike<number>;

/** A 1-D vector (`cols === 1`, `rank === 1`) or a row-major [rows, cols] matrix. */
export interface Matrix<T = number> {
  values: T[];
  rows: number;
  cols: number;
  rank: 1 | 2;
}

function isArrayLikeRow(v: unknown): v is ArrayLike<unknown> {
  return Array.isArray(v) || ArrayBuffer.isView(v);
}

const PARSED = Symbol('mapnn.metrics.parsed');

/** Wraps an already-read matrix so it can be passed where a MetricInput is expected (internal). */
export function parsedInput<T extends Label>(m: Matrix<T>): MetricInput {
  return { [PARSED]: m } as unknown as MetricInput;
}

/** Reads any input into a row-major matrix of numbers or strings (rank 1 or 2). */
export function readRaw(x: MetricInput, what: string): Matrix<Label> {
  const parsed = (x as unknown as Record<symbol, Matrix<Label> | undefined>)?.[PARSED];
  if (parsed) return parsed;
  if (isTensor(x)) {
    const t = x as Tensor;
    const data = Array.from(t.dataSync() as ArrayLike<number>);
    if (t.shape.length === 1) return { values: data, rows: t.shape[0]!, cols: 1, rank: 1 };
    if (t.shape.length === 2) return { values: data, rows: t.shape[0]!, cols: t.shape[1]!, rank: 2 };
    if (t.shape.length === 0) return { values: data, rows: 1, cols: 1, rank: 1 };
    throw new Error(`${what}: expected a 1-D or 2-D tensor, got shape [${t.shape.join(', ')}]`);
  }
  const arr = x as ArrayLike<unknown>;
  if (arr == null || typeof arr.length !== 'number') throw new Error(`${what}: expected a Tensor or an array`);
  if (arr.length > 0 && isArrayLikeRow(arr[0])) {
    const rows = arr.length;
    const cols = (arr[0] as ArrayLike<unknown>).length;
    const values: Label[] = new Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      const row = arr[i] as ArrayLike<unknown>;
      if (!isArrayLikeRow(row) || row.length !== cols) {
        throw new Error(`${what}: rows of a nested array must all have length ${cols} (row ${i})`);
      }
      for (let j = 0; j < cols; j++) values[i * cols + j] = toLabelValue(row[j], what);
    }
    return { values, rows, cols, rank: 2 };
  }
  const values: Label[] = new Array(arr.length);
  for (let i = 0; i < arr.length; i++) values[i] = toLabelValue(arr[i], what);
  return { values, rows: arr.length, cols: 1, rank: 1 };
}

function toLabelValue(v: unknown, what: string): Label {
  if (typeof v === 'number' || typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'bigint') return Number(v);
  throw new Error(`${what}: unsupported value ${String(v)} (expected numbers or strings)`);
}

function checkLabels(values: Label[], what: string): Label[] {
  checkLabelKinds(what, values);
  for (const v of values) {
    if (typeof v === 'number' && !Number.isInteger(v)) {
      throw new Error(
        `${what}: got continuous values (e.g. ${v}) where class labels were expected; pass integer or ` +
          'string labels, a [n, C] score matrix (argmax is taken) or the `threshold` option',
      );
    }
  }
  return values;
}

/** Reads 1-D class labels (a [n, 1] matrix is flattened). */
export function readLabels(x: MetricInput, what: string): Label[] {
  const m = readRaw(x, what);
  if (m.rank === 2 && m.cols !== 1) {
    throw new Error(`${what}: expected 1-D labels, got a [${m.rows}, ${m.cols}] matrix`);
  }
  return checkLabels(m.values, what);
}

/**
 * Reads predicted labels: 1-D labels as they are; a [n, C] matrix of scores becomes the
 * argmax index per row (first maximum, as NumPy); with `threshold`, 1-D scores become
 * `score > threshold ? 1 : 0`.
 */
export function readPredLabels(x: MetricInput, what: string, threshold?: number): Label[] {
  const m = readRaw(x, what);
  if (m.rank === 2 && m.cols > 1) {
    const out: Label[] = new Array(m.rows);
    for (let i = 0; i < m.rows; i++) {
      let best = 0;
      let bestV = Number(m.values[i * m.cols]);
      for (let j = 1; j < m.cols; j++) {
        const v = Number(m.values[i * m.cols + j]);
        if (v > bestV || (Number.isNaN(v) && !Number.isNaN(bestV))) {
          best = j;
          bestV = v;
        }
      }
      out[i] = best;
    }
    return out;
  }
  if (threshold !== undefined) return m.values.map((v) => (Number(v) > threshold ? 1 : 0));
  return checkLabels(m.values, what);
}

/** Reads numeric scores as a vector or [n, C] matrix. */
export function readScores(x: MetricInput, what: string): Matrix<number> {
  const m = readRaw(x, what);
  for (const v of m.values) {
    if (typeof v !== 'number') throw new Error(`${what}: scores must be numbers, got '${v}'`);
  }
  return m as Matrix<number>;
}

/** True when `x` holds float32 (or float16) values: log loss then clips with that dtype's eps. */
export function isSinglePrecision(x: MetricInput): boolean {
  if (isTensor(x)) return (x as Tensor).dtype === 'float32' || (x as Tensor).dtype === 'float16';
  if (x instanceof Float32Array) return true;
  const first = (x as ArrayLike<unknown>)[0];
  return first instanceof Float32Array;
}

/** Reads `n` sample weights (undefined stays undefined). */
export function readWeights(w: WeightsInput | undefined, n: number, what: string): number[] | undefined {
  if (w === undefined || w === null) return undefined;
  const m = readRaw(w as MetricInput, what);
  if (m.rank === 2 && m.cols !== 1) throw new Error(`${what}: sampleWeight must be 1-D`);
  if (m.values.length !== n) {
    throw new Error(`${what}: sampleWeight has ${m.values.length} values, expected ${n} (one per sample)`);
  }
  return m.values.map((v) => {
    if (typeof v !== 'number') throw new Error(`${what}: sampleWeight must be numbers`);
    return v;
  });
}

/** Throws unless the two lengths agree. */
export function checkSameLength(what: string, a: number, b: number): void {
  if (a !== b) throw new Error(`${what}: found input variables with inconsistent numbers of samples: [${a}, ${b}]`);
}
