import { fromStorage, type Tensor } from '@mapnn/core';
import { indicesByClass, toLabelArray, type LabelsLike } from '../util/labels.js';
import { resolveRandom } from '../util/random.js';
import { checkRows, type ResampleOptions } from './random-over-sample.js';
import { targetCounts } from './sampling-strategy.js';

/** Options of `smote`. */
export interface SmoteOptions extends ResampleOptions {
  /** Nearest same-class neighbours to interpolate towards (default 5). */
  k?: number;
}

/** The result of `smote`: original rows first, then the synthetic ones. */
export interface SmoteResult {
  /** float32 `[n + m, features]` (float64 input stays float64). */
  x: Tensor;
  /** int32 `[n + m]`. */
  y: Tensor;
  /** For each synthetic row: the sample it starts from, the neighbour it moves towards and the step in [0, 1). */
  synthetic: { from: Int32Array; neighbor: Int32Array; gap: Float64Array };
}

/**
 * SMOTE (Chawla et al., 2002; imbalanced-learn's `SMOTE`): for each class below its target
 * (by default the majority count), creates synthetic samples
 * `x_i + gap · (x_nn − x_i)` where `x_i` is a random sample of the class, `x_nn` one of its
 * `k` nearest neighbours *within the class* (Euclidean) and `gap ~ U[0, 1)`. So every synthetic
 * sample lies on a segment between a minority sample and one of its k nearest minority
 * neighbours. `x` is `[n, features]` (more dims are flattened); seeded through `seed`/`generator`.
 * A class to over-sample needs more than `k` samples.
 *
 * @example
 * const { x: xb, y: yb } = smote(x, y, { k: 5, seed: 0 });
 */
export function smote(x: Tensor, y: LabelsLike, options: SmoteOptions = {}): SmoteResult {
  const labels = toLabelArray(y, 'smote');
  checkRows(x, labels.length, 'smote');
  const k = options.k ?? 5;
  if (!Number.isInteger(k) || k < 1) throw new Error(`smote: k must be a positive integer, got ${k}`);
  if (x.dtype !== 'float32' && x.dtype !== 'float64') throw new Error(`smote: x must be float32 or float64, got ${x.dtype}`);
  const n = labels.length;
  const d = n === 0 ? 0 : x.size / n;
  const data = x.dataSync();
  const g = resolveRandom(options);
  const byClass = indicesByClass(labels);
  const counts = new Map([...byClass].map(([c, idx]) => [c, idx.length]));
  const targets = targetCounts(counts, options.strategy ?? 'auto', 'over', 'smote');
  const from: number[] = [];
  const neighbor: number[] = [];
  const gaps: number[] = [];
  const newLabels: number[] = [];
  for (const [c, idx] of byClass) {
    const m = targets.get(c)! - idx.length;
    if (m <= 0) continue;
    if (idx.length <= k) {
      throw new Error(`smote: class ${c} has ${idx.length} samples; k = ${k} neighbours need at least ${k + 1} (pass a smaller k)`);
    }
    const nn = nearestNeighbors(data, d, idx, k);
    for (let s = 0; s < m; s++) {
      const pick = g.nextBelow(idx.length * k); // a (sample, neighbour) pair, as imbalanced-learn
      const row = Math.floor(pick / k);
      from.push(idx[row]!);
      neighbor.push(nn[row * k + (pick % k)]!);
      gaps.push(g.nextFloat());
      newLabels.push(c);
    }
  }
  const total = n + from.length;
  const out = x.dtype === 'float64' ? new Float64Array(total * d) : new Float32Array(total * d);
  out.set(data as ArrayLike<number>, 0);
  for (let s = 0; s < from.length; s++) {
    const a = from[s]! * d;
    const b = neighbor[s]! * d;
    const o = (n + s) * d;
    for (let j = 0; j < d; j++) out[o + j] = data[a + j]! + gaps[s]! * (data[b + j]! - data[a + j]!);
  }
  const yOut = new Int32Array(total);
  yOut.set(labels, 0);
  yOut.set(newLabels, n);
  return {
    x: fromStorage(out, [total, ...x.shape.slice(1)], x.dtype, 'smote'),
    y: fromStorage(yOut, [total], 'int32', 'smote'),
    synthetic: { from: Int32Array.from(from), neighbor: Int32Array.from(neighbor), gap: Float64Array.from(gaps) },
  };
}

/**
 * For each row of `rows` (indices into `data`), the `k` nearest other rows of `rows` by
 * Euclidean distance (ties: lower index first), as global indices, `k` per row.
 */
export function nearestNeighbors(data: ArrayLike<number>, d: number, rows: readonly number[], k: number): Int32Array {
  const m = rows.length;
  const out = new Int32Array(m * k);
  const dist = new Float64Array(m);
  const order = new Int32Array(m);
  for (let a = 0; a < m; a++) {
    const pa = rows[a]! * d;
    for (let b = 0; b < m; b++) {
      if (b === a) {
        dist[b] = Infinity;
        continue;
      }
      const pb = rows[b]! * d;
      let s = 0;
      for (let j = 0; j < d; j++) {
        const t = data[pa + j]! - data[pb + j]!;
        s += t * t;
      }
      dist[b] = s;
    }
    for (let b = 0; b < m; b++) order[b] = b;
    // partial selection of the k smallest
    for (let i = 0; i < k; i++) {
      let best = i;
      for (let j = i + 1; j < m; j++) {
        const oj = order[j]!;
        const ob = order[best]!;
        if (dist[oj]! < dist[ob]! || (dist[oj] === dist[ob] && oj < ob)) best = j;
      }
      const t = order[i]!;
      order[i] = order[best]!;
      order[best] = t;
      out[a * k + i] = rows[order[i]!]!;
    }
  }
  return out;
}
