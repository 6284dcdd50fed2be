import type { Shape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { checkFloatDType, sampleTensor, unitSampler, type RandomOptions } from '../random/sample.js';

/**
 * Samples uniformly from [0, 1) (`torch.rand`). float32 by default; float dtypes only. Draws
 * from `opts.generator` or the global default generator (see `manualSeed`). Not differentiable
 * (creates a leaf).
 *
 * @example manualSeed(0); rand([2, 3]) // 2×3 values in [0, 1)
 */
export function rand(shape: Shape, opts: RandomOptions = {}): Tensor {
  const dtype = opts.dtype ?? 'float32';
  checkFloatDType(dtype, 'rand');
  return sampleTensor(shape, dtype, 'rand', (g) => unitSampler(g, dtype), opts.generator);
}
