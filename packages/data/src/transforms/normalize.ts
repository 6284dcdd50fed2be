import { div, fromStorage, sub, tidy, type Tensor } from '@mapnn/core';
import { asFloat } from './standard-scaler.js';
import { StandardScaler } from './standard-scaler.js';
import { MinMaxScaler } from './min-max-scaler.js';

/**
 * Per-channel normalisation `(x − mean[c]) / std[c]` along `axis` (default 1, the channel dim of
 * NCHW images), as torchvision's `Normalize`.
 *
 * @example normalize(images, [0.2860], [0.3530]) // Fashion-MNIST mean/std on [0, 1] pixels
 */
export function normalize(x: Tensor, mean: readonly number[], std: readonly number[], axis = 1): Tensor {
  const ax = axis < 0 ? x.rank + axis : axis;
  if (ax < 0 || ax >= x.rank) throw new Error(`normalize: axis ${axis} is out of range for a rank-${x.rank} tensor`);
  const c = x.shape[ax]!;
  if (mean.length !== c || std.length !== c) {
    throw new Error(`normalize: ${mean.length} means and ${std.length} stds for ${c} channels along axis ${axis}`);
  }
  if (std.some((s) => !(s > 0))) throw new Error(`normalize: std values must be > 0, got [${std.join(', ')}]`);
  const shape = x.shape.map((d, i) => (i === ax ? d : 1));
  return tidy(() => {
    const y = asFloat(x);
    const m = fromStorage(y.dtype === 'float64' ? Float64Array.from(mean) : Float32Array.from(mean), shape, y.dtype);
    const s = fromStorage(y.dtype === 'float64' ? Float64Array.from(std) : Float32Array.from(std), shape, y.dtype);
    return div(sub(y, m), s);
  });
}

/**
 * Fits a scaler on the first tensor (the training data) and applies it to all of them:
 * the usual "fit on train, apply to test" in one call.
 *
 * @example const { scaler, tensors: [xTrain, xTest] } = standardize(train.x, test.x);
 */
export function standardize(train: Tensor, ...others: Tensor[]): { scaler: StandardScaler; tensors: Tensor[] } {
  const scaler = new StandardScaler().fit(train);
  return { scaler, tensors: [train, ...others].map((t) => scaler.transform(t)) };
}

/**
 * Like `standardize` with a `MinMaxScaler` to `featureRange` (default [0, 1]).
 *
 * @example const { tensors: [xTrain, xTest] } = minMaxScale(train.x, test.x);
 */
export function minMaxScale(train: Tensor, ...others: Tensor[]): { scaler: MinMaxScaler; tensors: Tensor[] } {
  const scaler = new MinMaxScaler().fit(train);
  return { scaler, tensors: [train, ...others].map((t) => scaler.transform(t)) };
}
