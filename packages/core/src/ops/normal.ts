import type { Shape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { checkFloatDType, sampleTensor, type RandomOptions } from '../random/sample.js';

/**
 * Samples from N(mean, std²) (`torch.normal(mean, std, size)`). float32 by default; float
 * dtypes only; `std` must be ≥ 0.
 *
 * @example normal([3], 10, 0.1)
 */
export function normal(shape: Shape, mean = 0, std = 1, opts: RandomOptions = {}): Tensor {
  const dtype = opts.dtype ?? 'float32';
  checkFloatDType(dtype, 'normal');
  if (!(std >= 0) || !Number.isFinite(std) || !Number.isFinite(mean)) {
    throw new Error(`normal: expected finite mean and std >= 0, got mean=${mean}, std=${std}`);
  }
  return sampleTensor(shape, dtype, 'normal', (g) => () => mean + std * g.nextNormal(), opts.generator);
}
