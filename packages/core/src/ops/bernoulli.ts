import { fromNumbers, isFloat, toNumbers } from '../dtypes.js';
import { isTensor, type Tensor } from '../tensor.js';
import { resolveGenerator } from '../random/generator.js';
import type { RandomOptions } from '../random/sample.js';
import { fromStorage, tensor, type TensorLike } from './tensor-factory.js';

/**
 * Draws 0/1 values with probabilities `p` (`torch.bernoulli`): `out[i] = 1` with probability
 * `p[i]`. The output has `p`'s shape and dtype (float32 for non-float `p`) unless `opts.dtype`
 * is given. Every `p` must lie in [0, 1]. Not differentiable.
 *
 * @example bernoulli(full([4], 0.5))
 */
export function bernoulli(p: TensorLike, opts: RandomOptions = {}): Tensor {
  const t = isTensor(p) ? p : tensor(p, undefined, typeof p === 'number' ? 'float64' : undefined);
  try {
    const dtype = opts.dtype ?? (isTensor(p) && isFloat(t.dtype) ? t.dtype : 'float32');
    const probs = toNumbers(t.dataSync(), t.dtype);
    const g = resolveGenerator(opts.generator);
    const vals = new Float64Array(probs.length);
    for (let i = 0; i < probs.length; i++) {
      const q = probs[i]!;
      if (!(q >= 0 && q <= 1)) throw new Error(`bernoulli: probabilities must lie in [0, 1], got ${q}`);
      vals[i] = g.nextFloat() < q ? 1 : 0;
    }
    return fromStorage(fromNumbers(vals, dtype), t.shape, dtype, 'bernoulli');
  } finally {
    if (t !== p) t.dispose();
  }
}
