import { uniqueLabels, type Label } from './labels.js';

export interface ClfCurve {
  /** Cumulative (weighted) false and true positives at each distinct threshold, descending. */
  fps: number[];
  tps: number[];
  thresholds: number[];
}

function sameLabels(a: readonly Label[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** The positive label, as scikit-learn's `_check_pos_label_consistency`. */
export function checkPosLabel(posLabel: Label | undefined, yTrue: readonly Label[], what: string): Label {
  if (posLabel !== undefined) return posLabel;
  const classes = uniqueLabels(yTrue);
  const ok =
    classes.every((c) => typeof c === 'number') &&
    (sameLabels(classes, [0, 1]) ||
      sameLabels(classes, [-1, 1]) ||
      sameLabels(classes, [0]) ||
      sameLabels(classes, [-1]) ||
      sameLabels(classes, [1]));
  if (!ok) {
    throw new Error(
      `${what}: yTrue takes values in {${classes.map((c) => JSON.stringify(c)).join(', ')}} and posLabel is not ` +
        'specified: either make yTrue take values in {0, 1} or {-1, 1} or pass posLabel explicitly.',
    );
  }
  return 1;
}

/**
 * False/true positive counts per distinct score threshold, as scikit-learn's
 * `_binary_clf_curve`: scores sorted descending (ties in reverse sample order, as NumPy's
 * reversed stable argsort), one point per distinct score, zero-weight samples dropped.
 */
export function binaryClfCurve(
  yTrue: readonly Label[],
  yScore: readonly number[],
  posLabel: Label | undefined,
  sampleWeight: readonly number[] | undefined,
  what: string,
): ClfCurve {
  if (yTrue.length !== yScore.length) {
    throw new Error(`${what}: found input variables with inconsistent numbers of samples: [${yTrue.length}, ${yScore.length}]`);
  }
  const classes = uniqueLabels(yTrue);
  if (classes.length > 2 && posLabel === undefined) throw new Error(`${what}: multiclass format is not supported`);
  for (const s of yScore) if (!Number.isFinite(s)) throw new Error(`${what}: input contains NaN or infinity`);
  let t = yTrue;
  let s = yScore;
  let w = sampleWeight;
  if (w) {
    const keep = w.map((v) => v !== 0);
    t = t.filter((_, i) => keep[i]);
    s = s.filter((_, i) => keep[i]);
    w = w.filter((_, i) => keep[i]);
  }
  const pos = checkPosLabel(posLabel, t, what);
  const n = t.length;
  if (n === 0) throw new Error(`${what}: no samples (with non-zero weight)`);
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => s[a]! - s[b]!); // stable: ties keep sample order
  order.reverse();
  const score = order.map((i) => s[i]!);
  const y = order.map((i) => (t[i] === pos ? 1 : 0));
  const weight = w ? order.map((i) => w![i]!) : undefined;
  const idxs: number[] = [];
  for (let i = 0; i < n - 1; i++) if (score[i + 1]! - score[i]! !== 0) idxs.push(i);
  idxs.push(n - 1);
  const cumTp: number[] = new Array(n);
  const cumFp: number[] = new Array(n);
  let acc = 0;
  let accF = 0;
  for (let i = 0; i < n; i++) {
    acc += y[i]! * (weight ? weight[i]! : 1);
    cumTp[i] = acc;
    if (weight) {
      accF += (1 - y[i]!) * weight[i]!;
      cumFp[i] = accF;
    }
  }
  const tps = idxs.map((i) => cumTp[i]!);
  const fps = weight ? idxs.map((i) => cumFp[i]!) : idxs.map((i, k) => 1 + i - tps[k]!);
  return { fps, tps, thresholds: idxs.map((i) => score[i]!) };
}

/**
 * Area under a curve by the trapezoidal rule, as scikit-learn's `auc` (x must be monotonic).
 *
 * @example auc([0, 0.5, 1], [0, 0.75, 1]); // 0.625
 */
export function auc(x: readonly number[], y: readonly number[]): number {
  if (x.length !== y.length) throw new Error(`auc: x has ${x.length} points and y ${y.length}`);
  if (x.length < 2) throw new Error(`auc: at least 2 points are needed to compute area under curve, got ${x.length}`);
  let direction = 1;
  const dx = x.slice(1).map((v, i) => v - x[i]!);
  if (dx.some((d) => d < 0)) {
    if (dx.every((d) => d <= 0)) direction = -1;
    else throw new Error(`auc: x is neither increasing nor decreasing`);
  }
  let area = 0;
  for (let i = 0; i < dx.length; i++) area += (dx[i]! * (y[i + 1]! + y[i]!)) / 2;
  return direction * area;
}
