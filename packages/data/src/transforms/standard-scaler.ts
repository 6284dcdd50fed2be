import { add, cast, div, fromStorage, mul, sub, tidy, type Tensor } from '@mapnn/core';
import { asMatrix, checkFeatures, handleZeros } from './feature-stats.js';

/**
 * Standardises features to zero mean and unit variance (scikit-learn's `StandardScaler`):
 * `fit` learns each feature's mean and population standard deviation (ddof 0) on training data;
 * `transform` applies `(x − mean) / scale` to any data (e.g. the test set) with those training
 * statistics; `inverseTransform` undoes it. Constant features get scale 1. Works on
 * `[samples, features…]` tensors (statistics per trailing element); float output of the input's
 * float dtype (float32 for int input).
 *
 * @example
 * const scaler = new StandardScaler().fit(train.x);
 * const xTrain = scaler.transform(train.x);
 * const xTest = scaler.transform(test.x); // training statistics, no leakage
 */
export class StandardScaler {
  /** Per-feature mean (after `fit`). */
  mean: Float64Array | null = null;
  /** Per-feature population variance. */
  variance: Float64Array | null = null;
  /** Per-feature scale: the standard deviation, 1 for constant features. */
  scale: Float64Array | null = null;
  private featureShape: number[] | null = null;

  constructor(private readonly options: { withMean?: boolean; withStd?: boolean } = {}) {}

  /** Learns mean and scale from `x` `[samples, features…]`. Returns `this`. */
  fit(x: Tensor): this {
    const { data, rows, cols, featureShape } = asMatrix(x, 'StandardScaler.fit');
    if (rows === 0) throw new Error('StandardScaler.fit: no samples');
    const mean = new Float64Array(cols);
    for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) mean[j]! += data[r * cols + j]!;
    for (let j = 0; j < cols; j++) mean[j]! /= rows;
    const variance = new Float64Array(cols);
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < cols; j++) {
        const d = data[r * cols + j]! - mean[j]!;
        variance[j]! += d * d;
      }
    }
    for (let j = 0; j < cols; j++) variance[j]! /= rows;
    this.mean = mean;
    this.variance = variance;
    this.scale = handleZeros(variance.map(Math.sqrt));
    this.featureShape = featureShape;
    return this;
  }

  /** `(x − mean) / scale` with the fitted statistics. */
  transform(x: Tensor): Tensor {
    checkFeatures(x, this.featureShape, 'StandardScaler.transform');
    return tidy(() => {
      let y = asFloat(x);
      if (this.options.withMean !== false) y = sub(y, this.vec(this.mean!, y));
      if (this.options.withStd !== false) y = div(y, this.vec(this.scale!, y));
      return y === x ? x.detach() : y;
    });
  }

  /** `fit(x)` then `transform(x)`. */
  fitTransform(x: Tensor): Tensor {
    return this.fit(x).transform(x);
  }

  /** `x · scale + mean`: back to the original units. */
  inverseTransform(x: Tensor): Tensor {
    checkFeatures(x, this.featureShape, 'StandardScaler.inverseTransform');
    return tidy(() => {
      let y = asFloat(x);
      if (this.options.withStd !== false) y = mul(y, this.vec(this.scale!, y));
      if (this.options.withMean !== false) y = add(y, this.vec(this.mean!, y));
      return y === x ? x.detach() : y;
    });
  }

  private vec(v: Float64Array, like: Tensor): Tensor {
    return cast(fromStorage(v, this.featureShape!, 'float64'), like.dtype);
  }
}

/** @internal float input as is, other dtypes as float32. */
export function asFloat(x: Tensor): Tensor {
  return x.dtype === 'float32' || x.dtype === 'float64' ? x : cast(x, 'float32');
}
