import type { Tensor } from '@mapnn/core';

/** @internal `x` as `[rows, features]` values (trailing dims flattened) plus its feature shape. */
export function asMatrix(x: Tensor, op: string): { data: ArrayLike<number>; rows: number; cols: number; featureShape: number[] } {
  if (x.rank < 1) throw new Error(`${op}: expected a tensor [samples, features…], got a scalar`);
  const rows = x.shape[0]!;
  const featureShape = x.shape.slice(1);
  const cols = featureShape.reduce((a, b) => a * b, 1);
  return { data: x.dataSync(), rows, cols, featureShape };
}

/** @internal scikit-learn's `_handle_zeros_in_scale`: scales that are (nearly) 0 become 1. */
export function handleZeros(scale: Float64Array): Float64Array {
  for (let j = 0; j < scale.length; j++) if (scale[j]! < 10 * Number.EPSILON || !Number.isFinite(scale[j]!)) scale[j] = 1;
  return scale;
}

/** @internal Throws unless `x` has the fitted feature shape. */
export function checkFeatures(x: Tensor, featureShape: readonly number[] | null, op: string): void {
  if (!featureShape) throw new Error(`${op}: call fit() first`);
  const got = x.shape.slice(1);
  if (got.length !== featureShape.length || got.some((d, i) => d !== featureShape[i])) {
    throw new Error(`${op}: fitted on features [${featureShape.join(', ')}] but got [${got.join(', ')}]`);
  }
}
