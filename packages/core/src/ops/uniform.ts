import type { Shape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { checkFloatDType, sampleTensor, unitSampler, type RandomOptions } from '../random/sample.js';

/**
 * Samples uniformly from [low, high) (`torch.empty(shape).uniform_(low, high)`). float32 by
 * default; float dtypes only.
 *
 * @example uniform([2, 2], -1, 1)
 */
export function uniform(shape: Shape, low = 0, high = 1, opts: RandomOptions = {}): Tensor {
  const dtype = opts.dtype ?? 'float32';
  checkFloatDType(dtype, 'uniform');
  if (!(Number.isFinite(low) && Number.isFinite(high) && low <= high)) {
    throw new Error(`uniform: expected finite low <= high, got low=${low}, high=${high}`);
  }
  const span = high - low;
  return sampleTensor(shape, dtype, 'uniform', (g) => {
    const u = unitSampler(g, dtype);
    return () => low + span * u();
  }, opts.generator);
}
