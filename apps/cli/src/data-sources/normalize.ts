import { tensor, tidy, type Tensor } from '@mapnn/core';
import { StandardScaler } from '@mapnn/data';
import type { LoadedData } from './types.js';

/**
 * How raw features become model inputs (stored in config.json; apply it before feeding the
 * ONNX model too): `scale` multiplies by `scale` (images: 1 / max pixel value), `standard`
 * computes `(x − mean) / std` per feature with training-set statistics.
 */
export type Normalization =
  | { type: 'none' }
  | { type: 'scale'; scale: number }
  | { type: 'standard'; mean: number[]; std: number[] };

/** The normalisation fitted on the training split. */
export function fitNormalization(data: LoadedData): Normalization {
  if (data.kind === 'image') return { type: 'scale', scale: 1 / (data.rawMax ?? 1) };
  const scaler = new StandardScaler().fit(data.train.x);
  return { type: 'standard', mean: Array.from(scaler.mean!), std: Array.from(scaler.scale!) };
}

/** Applies a normalisation to raw features `[n, …sample]` (a new tensor). */
export function normalize(x: Tensor, n: Normalization): Tensor {
  return tidy(() => {
    const xf = x.dtype === 'float32' ? x : x.cast('float32');
    if (n.type === 'scale') return xf.mul(n.scale);
    if (n.type === 'standard') {
      const f = n.mean.length;
      const flat = xf.reshape([-1, f]);
      if (flat.shape[0]! * f !== xf.size) throw new Error(`normalisation expects ${f} features per sample`);
      return flat.sub(tensor(n.mean)).div(tensor(n.std)).reshape(x.shape);
    }
    return xf.mul(1);
  });
}

/** Normalisation description for people. */
export function describeNormalization(n: Normalization): string {
  if (n.type === 'scale') return `x · ${+n.scale.toPrecision(6)}`;
  if (n.type === 'standard') return `(x − mean) / std per feature (${n.mean.length} features, training-set statistics)`;
  return 'none';
}
