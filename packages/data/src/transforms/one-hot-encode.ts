import { fromStorage, type DType, type Tensor } from '@mapnn/core';
import { toLabelArray, type LabelsLike } from '../util/labels.js';

/** Options of `oneHotEncode`. */
export interface OneHotOptions {
  /** Label smoothing ε: targets become `1 − ε + ε/C` and `ε/C` (default 0). */
  labelSmoothing?: number;
  /** float32 (default) or float64. */
  dtype?: DType;
}

/**
 * Class labels `[n]` as one-hot rows `[n, numClasses]` (default numClasses: max label + 1),
 * optionally label-smoothed — the soft-target form that `mixup`/`cutmix` also produce.
 * (Core's `oneHot(indices, numClasses)` is the plain op; this one takes any label form and
 * checks ranges.)
 *
 * @example oneHotEncode([0, 2], 3) // [[1, 0, 0], [0, 0, 1]]
 * @example oneHotEncode([1], 2, { labelSmoothing: 0.1 }) // [[0.05, 0.95]]
 */
export function oneHotEncode(labels: LabelsLike, numClasses?: number, options: OneHotOptions = {}): Tensor {
  const y = toLabelArray(labels, 'oneHotEncode');
  let max = -1;
  for (const v of y) if (v > max) max = v;
  const c = numClasses ?? max + 1;
  if (!Number.isInteger(c) || c < 1) throw new Error(`oneHotEncode: numClasses must be a positive integer, got ${numClasses}`);
  if (max >= c) throw new Error(`oneHotEncode: label ${max} is out of range for ${c} classes`);
  const eps = options.labelSmoothing ?? 0;
  if (!(eps >= 0 && eps <= 1)) throw new Error(`oneHotEncode: labelSmoothing must be in [0, 1], got ${eps}`);
  const dtype = options.dtype ?? 'float32';
  if (dtype !== 'float32' && dtype !== 'float64') throw new Error(`oneHotEncode: dtype must be float32 or float64, got ${dtype}`);
  const out = dtype === 'float64' ? new Float64Array(y.length * c) : new Float32Array(y.length * c);
  out.fill(eps / c);
  for (let i = 0; i < y.length; i++) out[i * c + y[i]!] = 1 - eps + eps / c;
  return fromStorage(out, [y.length, c], dtype, 'oneHotEncode');
}
