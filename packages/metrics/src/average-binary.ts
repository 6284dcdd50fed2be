/** One binary score from 0/1 labels, scores and optional weights. */
export type BinaryScoreFn = (y: number[], score: number[], sampleWeight: number[] | undefined) => number;

/** Averages for scores computed per column of an indicator matrix. */
export type ScoreAverage = 'micro' | 'macro' | 'weighted' | 'samples';

/**
 * Applies a binary metric per column of an [n, C] indicator matrix and averages, as
 * scikit-learn's `_average_binary_score` (`null` gives the per-class scores).
 */
export function averageBinaryScore(
  fn: BinaryScoreFn,
  yTrue: readonly number[],
  yScore: readonly number[],
  rows: number,
  cols: number,
  average: ScoreAverage | null,
  sampleWeight: readonly number[] | undefined,
  what: string,
): number | number[] {
  if (![null, 'micro', 'macro', 'weighted', 'samples'].includes(average)) {
    throw new Error(`${what}: average has to be one of null, 'micro', 'macro', 'weighted', 'samples'`);
  }
  let y = yTrue;
  let s = yScore;
  let n = rows;
  let c = cols;
  let scoreWeight: readonly number[] | undefined = sampleWeight;
  let averageWeight: number[] | undefined;
  let byRow = false;
  if (average === 'micro') {
    if (scoreWeight) scoreWeight = scoreWeight.flatMap((w) => new Array<number>(cols).fill(w));
    n = rows * cols;
    c = 1;
  } else if (average === 'weighted') {
    averageWeight = new Array<number>(cols).fill(0);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) averageWeight[j]! += y[i * cols + j]! * (sampleWeight ? sampleWeight[i]! : 1);
    }
    if (Math.abs(averageWeight.reduce((a, b) => a + b, 0)) <= 1e-8) return 0;
  } else if (average === 'samples') {
    averageWeight = sampleWeight?.slice();
    scoreWeight = undefined;
    byRow = true;
  }
  const outer = byRow ? n : c;
  const inner = byRow ? c : n;
  const score = new Array<number>(outer);
  for (let k = 0; k < outer; k++) {
    const yk: number[] = new Array(inner);
    const sk: number[] = new Array(inner);
    for (let i = 0; i < inner; i++) {
      const idx = byRow ? k * c + i : i * c + k;
      yk[i] = y[idx]!;
      sk[i] = s[idx]!;
    }
    score[k] = fn(yk, sk, scoreWeight as number[] | undefined);
  }
  if (average === null) return score;
  if (averageWeight) {
    let num = 0;
    let den = 0;
    for (let k = 0; k < outer; k++) {
      const w = averageWeight[k]!;
      num += (w === 0 ? 0 : score[k]!) * w;
      den += w;
    }
    return num / den;
  }
  return score.reduce((a, b) => a + b, 0) / outer;
}

/** One-vs-rest indicator matrix of `yTrue` over `classes` (scikit-learn's `label_binarize`). */
export function labelBinarize<L>(yTrue: readonly L[], classes: readonly L[]): number[] {
  const idx = new Map<L, number>();
  classes.forEach((c, i) => idx.set(c, i));
  const out = new Array<number>(yTrue.length * classes.length).fill(0);
  yTrue.forEach((t, i) => {
    const j = idx.get(t);
    if (j !== undefined) out[i * classes.length + j] = 1;
  });
  return out;
}
