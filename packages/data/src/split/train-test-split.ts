import { indicesByClass, toLabelArray, type LabelsLike } from '../util/labels.js';
import { permutation, resolveRandom, shuffleInPlace, type RandomSource } from '../util/random.js';
import { approximateMode } from './allocate.js';
import { groupRows, takeRows, type RowGroup, type SameGroup } from './take-rows.js';
import { isTensor, type Tensor } from '@mapnn/core';

/** Options of `trainTestSplit`. */
export interface TrainTestSplitOptions extends RandomSource {
  /** Test fraction in (0, 1) or a count ≥ 1 (default 0.25, or the complement of `trainSize`). */
  testSize?: number;
  /** Train fraction or count (default: the rest). */
  trainSize?: number;
  /** Shuffle before splitting (default true; `false` keeps order and cannot stratify). */
  shuffle?: boolean;
  /**
   * Keep class proportions in both parts: labels, or `true` to use the group's `y`.
   * Per class, the test part gets `testSize` of its samples up to rounding (scikit-learn's rule).
   */
  stratify?: LabelsLike | true;
}

/** Train and test indices. */
export interface SplitIndices {
  train: Int32Array;
  test: Int32Array;
}

/** Sizes as scikit-learn: n_test = ceil(testSize·n) for a fraction, n_train = floor(trainSize·n) or the rest. */
export function splitSizes(n: number, testSize: number | undefined, trainSize: number | undefined): { nTrain: number; nTest: number } {
  const resolve = (v: number, what: string, round: (x: number) => number) => {
    if (v > 0 && v < 1) return round(v * n);
    if (Number.isInteger(v) && v >= 1 && v <= n) return v;
    throw new Error(`trainTestSplit: ${what} must be a fraction in (0, 1) or a count in [1, ${n}], got ${v}`);
  };
  let nTest: number;
  let nTrain: number;
  if (testSize === undefined && trainSize === undefined) testSize = 0.25;
  if (testSize !== undefined) {
    nTest = resolve(testSize, 'testSize', Math.ceil);
    nTrain = trainSize !== undefined ? resolve(trainSize, 'trainSize', Math.floor) : n - nTest;
  } else {
    nTrain = resolve(trainSize!, 'trainSize', Math.floor);
    nTest = n - nTrain;
  }
  if (nTrain + nTest > n) throw new Error(`trainTestSplit: train (${nTrain}) + test (${nTest}) exceed the ${n} samples`);
  if (nTrain === 0 || nTest === 0) throw new Error(`trainTestSplit: with ${n} samples the split leaves an empty part (train ${nTrain}, test ${nTest})`);
  return { nTrain, nTest };
}

/**
 * Random train/test indices over `n` samples (scikit-learn's `train_test_split` sizes; seeded).
 * With `stratify` labels, each class is split in the same proportion.
 *
 * @example const { train, test } = trainTestSplitIndices(100, { testSize: 0.2, seed: 0 }); // 80 / 20
 */
export function trainTestSplitIndices(n: number, options: TrainTestSplitOptions = {}): SplitIndices {
  const { nTrain, nTest } = splitSizes(n, options.testSize, options.trainSize);
  const shuffle = options.shuffle ?? true;
  const g = resolveRandom(options);
  if (options.stratify !== undefined && options.stratify !== true) {
    if (!shuffle) throw new Error('trainTestSplit: stratify needs shuffle: true');
    const labels = toLabelArray(options.stratify, 'trainTestSplit stratify');
    if (labels.length !== n) throw new Error(`trainTestSplit: ${labels.length} stratify labels for ${n} samples`);
    return stratifiedIndices(labels, nTrain, nTest, g);
  }
  if (options.stratify === true) throw new Error('trainTestSplit: stratify: true needs a group with a y tensor');
  const order = shuffle ? permutation(n, g) : Int32Array.from({ length: n }, (_, i) => i);
  return { train: order.slice(nTest, nTest + nTrain), test: order.slice(0, nTest) };
}

function stratifiedIndices(labels: Int32Array, nTrain: number, nTest: number, g: ReturnType<typeof resolveRandom>): SplitIndices {
  const byClass = [...indicesByClass(labels).values()];
  const counts = byClass.map((idx) => idx.length);
  if (counts.some((c) => c < 2)) throw new Error('trainTestSplit: stratify needs at least 2 samples of every class');
  if (nTest < counts.length || nTrain < counts.length) {
    throw new Error(`trainTestSplit: with ${counts.length} classes both parts need at least ${counts.length} samples (train ${nTrain}, test ${nTest})`);
  }
  // as StratifiedShuffleSplit: train counts first, then test counts from what is left
  const nTrainPer = approximateMode(counts, nTrain, g);
  const left = counts.map((c, i) => c - nTrainPer[i]!);
  const nTestPer = approximateMode(left, nTest, g);
  const train: number[] = [];
  const test: number[] = [];
  byClass.forEach((idx, c) => {
    const order = shuffleInPlace(Int32Array.from(idx), g);
    for (let i = 0; i < nTrainPer[c]!; i++) train.push(order[i]!);
    for (let i = 0; i < nTestPer[c]!; i++) test.push(order[nTrainPer[c]! + i]!);
  });
  return { train: shuffleInPlace(Int32Array.from(train), g), test: shuffleInPlace(Int32Array.from(test), g) };
}

/**
 * Splits tensors that share their first dimension (one tensor, a tuple or `{x, y}`) into
 * random train and test rows (scikit-learn's `train_test_split`). With `stratify: true` the
 * group's `y` keeps its class proportions in both parts. The inputs are not disposed.
 *
 * @example
 * const { train, test } = trainTestSplit({ x, y }, { testSize: 0.2, stratify: true, seed: 0 });
 * train.x; train.y; test.x; test.y;
 */
export function trainTestSplit<G extends RowGroup>(
  group: G,
  options: TrainTestSplitOptions = {},
): { train: SameGroup<G>; test: SameGroup<G>; indices: SplitIndices } {
  const n = groupRows(group, 'trainTestSplit');
  let opts = options;
  if (options.stratify === true) {
    const y = !isTensor(group) && !Array.isArray(group) ? (group as Record<string, Tensor>).y : undefined;
    if (!y) throw new Error("trainTestSplit: stratify: true needs a record with a 'y' tensor; otherwise pass the labels");
    opts = { ...options, stratify: y };
  }
  const indices = trainTestSplitIndices(n, opts);
  return { train: takeRows(group, indices.train), test: takeRows(group, indices.test), indices };
}
