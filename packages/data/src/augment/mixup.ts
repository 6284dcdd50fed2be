import { fromStorage, type Tensor } from '@mapnn/core';
import type { LabelsLike } from '../util/labels.js';
import { permutation, resolveRandom, sampleBeta, type RandomSource } from '../util/random.js';
import { allocFor, floatDType } from './image-batch.js';
import { softTargets } from './soft-targets.js';

/** Options of `mixup` and `cutmix`. */
export interface MixOptions extends RandomSource {
  /** Beta(α, α) parameter of the mixing weight (default 0.2 for mixup, 1 for cutmix). */
  alpha?: number;
  /** Number of classes (needed when `y` holds integer labels). */
  numClasses?: number;
}

/** Mixed inputs and their matching soft targets. */
export interface Mixed {
  /** The mixed batch (float). */
  x: Tensor;
  /** Soft targets `[N, C]` float32: `λ · y + (1 − λ) · y[permutation]`. */
  y: Tensor;
  /** Weight of the original samples. */
  lambda: number;
  /** Partner of each sample. */
  permutation: Int32Array;
}

/**
 * Mixup (Zhang et al., 2018): draws `λ ~ Beta(α, α)` and a random partner for each sample of the
 * batch, and returns `λ · x + (1 − λ) · x[partner]` with the targets mixed the same way, so the
 * soft labels always match the inputs (one λ per batch, as the paper). `x` is `[N, …]` of any
 * rank; `y` is integer labels `[N]` (with `numClasses`) or soft targets `[N, C]`.
 *
 * @example
 * const { x: xm, y: ym } = mixup(images, labels, { alpha: 0.2, numClasses: 10, generator: g });
 * // train with a soft-target cross-entropy on (xm, ym)
 */
export function mixup(x: Tensor, y: LabelsLike, options: MixOptions = {}): Mixed {
  const op = 'mixup';
  if (x.rank < 1) throw new Error(`${op}: expected a batch [N, …], got a scalar`);
  const n = x.shape[0]!;
  const alpha = options.alpha ?? 0.2;
  if (!(alpha > 0)) throw new Error(`${op}: alpha must be > 0, got ${alpha}`);
  const targets = softTargets(y, n, options.numClasses, op);
  const g = resolveRandom(options);
  const lambda = sampleBeta(alpha, alpha, g);
  const perm = permutation(n, g);
  const data = x.dataSync();
  const per = n === 0 ? 0 : data.length / n;
  const outDType = floatDType(x.dtype);
  const out = allocFor(outDType, data.length);
  for (let i = 0; i < n; i++) {
    const a = i * per;
    const b = perm[i]! * per;
    for (let j = 0; j < per; j++) out[a + j] = lambda * data[a + j]! + (1 - lambda) * data[b + j]!;
  }
  return {
    x: fromStorage(out, [...x.shape], outDType, op),
    y: mixTargets(targets.data, targets.classes, perm, lambda, op),
    lambda,
    permutation: perm,
  };
}

/** @internal `λ · y + (1 − λ) · y[perm]` as float32 `[N, C]`. */
export function mixTargets(t: Float64Array, classes: number, perm: Int32Array, lambda: number, op: string): Tensor {
  const n = perm.length;
  const out = new Float32Array(n * classes);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < classes; c++) out[i * classes + c] = lambda * t[i * classes + c]! + (1 - lambda) * t[perm[i]! * classes + c]!;
  }
  return fromStorage(out, [n, classes], 'float32', op);
}
