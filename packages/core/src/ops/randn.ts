import type { Shape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { checkFloatDType, sampleTensor, type RandomOptions } from '../random/sample.js';

/**
 * Samples from the standard normal distribution N(0, 1) (`torch.randn`, Box–Muller). float32 by
 * default; float dtypes only.
 *
 * @example randn([3], { generator: new Generator(42) })
 */
export function randn(shape: Shape, opts: RandomOptions = {}): Tensor {
  const dtype = opts.dtype ?? 'float32';
  checkFloatDType(dtype, 'randn');
  return sampleTensor(shape, dtype, 'randn', (g) => () => g.nextNormal(), opts.generator);
}
