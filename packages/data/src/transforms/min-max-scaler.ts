import { add, cast, clip, div, fromStorage, mul, sub, tidy, type Tensor } from '@mapnn/core';
import { asFloat } from './standard-scaler.js';
import { asMatrix, checkFeatures, handleZeros } from './feature-stats.js';

/**
 * Scales each feature to `featureRange` (default [0, 1]) using the minimum and maximum seen in
 * `fit` (scikit-learn's `MinMaxScaler`): `x · scale + min` with
 * `scale = (hi − lo) / (dataMax − dataMin)` and `min = lo − dataMin · scale`. Constant
 * features get range 1. Test data outside the training range maps outside `featureRange`
 * (pass `clip: true` to clamp, as scikit-learn's `clip`).
 *
 * @example
 * const scaler = new MinMaxScaler().fit(train.x);
 * scaler.transform(test.x); // in [0, 1] where test values lie within the training range
 */
export class MinMaxScaler {
  dataMin: Float64Array | null = null;
  dataMax: Float64Array | null = null;
  /** Per-feature multiplier and offset (after `fit`). */
  scale: Float64Array | null = null;
  min: Float64Array | null = null;
  readonly featureRange: readonly [number, number];
  private readonly clip: boolean;
  private featureShape: number[] | null = null;

  constructor(options: { featureRange?: readonly [number, number]; clip?: boolean } = {}) {
    this.featureRange = options.featureRange ?? [0, 1];
    if (!(this.featureRange[0] < this.featureRange[1])) {
      throw new Error(`MinMaxScaler: featureRange must be [lo, hi] with lo < hi, got [${this.featureRange.join(', ')}]`);
    }
    this.clip = options.clip ?? false;
  }

  /** Learns per-feature minimum and maximum from `x` `[samples, features…]`. Returns `this`. */
  fit(x: Tensor): this {
    const { data, rows, cols, featureShape } = asMatrix(x, 'MinMaxScaler.fit');
    if (rows === 0) throw new Error('MinMaxScaler.fit: no samples');
    const lo = new Float64Array(cols).fill(Infinity);
    const hi = new Float64Array(cols).fill(-Infinity);
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < cols; j++) {
        const v = data[r * cols + j]!;
        if (v < lo[j]!) lo[j] = v;
        if (v > hi[j]!) hi[j] = v;
      }
    }
    const [a, b] = this.featureRange;
    const range = handleZeros(hi.map((h, j) => h - lo[j]!));
    this.dataMin = lo;
    this.dataMax = hi;
    this.scale = range.map((r) => (b - a) / r);
    this.min = lo.map((l, j) => a - l * this.scale![j]!);
    this.featureShape = featureShape;
    return this;
  }

  /** `x · scale + min` with the fitted statistics. */
  transform(x: Tensor): Tensor {
    checkFeatures(x, this.featureShape, 'MinMaxScaler.transform');
    return tidy(() => {
      const y0 = asFloat(x);
      const y = add(mul(y0, this.vec(this.scale!, y0.dtype)), this.vec(this.min!, y0.dtype));
      return this.clip ? clip(y, this.featureRange[0], this.featureRange[1]) : y;
    });
  }

  /** `fit(x)` then `transform(x)`. */
  fitTransform(x: Tensor): Tensor {
    return this.fit(x).transform(x);
  }

  /** `(x − min) / scale`: back to the original units. */
  inverseTransform(x: Tensor): Tensor {
    checkFeatures(x, this.featureShape, 'MinMaxScaler.inverseTransform');
    return tidy(() => {
      const y0 = asFloat(x);
      return div(sub(y0, this.vec(this.min!, y0.dtype)), this.vec(this.scale!, y0.dtype));
    });
  }

  private vec(v: Float64Array, dtype: Tensor['dtype']): Tensor {
    return cast(fromStorage(v, this.featureShape!, 'float64'), dtype);
  }
}
