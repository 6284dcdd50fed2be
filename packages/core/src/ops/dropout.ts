import { fromNumbers } from '../dtypes.js';
import { opScope } from '../memory/scope.js';
import type { Tensor } from '../tensor.js';
import { resolveGenerator, type Generator } from '../random/generator.js';
import { asFloat } from './helpers.js';
import { mul } from './mul.js';
import { reshape } from './reshape.js';
import { fromStorage, type TensorLike } from './tensor-factory.js';

/**
 * Inverted dropout (PyTorch's `F.dropout`): in training, each element is zeroed with
 * probability `p` and the survivors are scaled by `1/(1−p)`, so the expected value is
 * unchanged; `p = 1` gives zeros. Identity (a view of `x`) when `training` is false or
 * `p = 0`. The mask is drawn from `opts.generator` or the global generator.
 * Gradient: the incoming gradient times the same mask.
 *
 * @example dropout(x, 0.1, true, { generator: new Generator(0) })
 */
export function dropout(x: TensorLike, p = 0.5, training = true, opts: { generator?: Generator } = {}): Tensor {
  return opScope(() => {
    if (!(p >= 0 && p <= 1)) throw new Error(`dropout: p must be in [0, 1], got ${p}`);
    const t = asFloat(x);
    if (!training || p === 0) return reshape(t, t.shape);
    const g = resolveGenerator(opts.generator);
    const keep = 1 - p;
    const scale = p === 1 ? 0 : 1 / keep;
    const m = new Float64Array(t.size);
    for (let i = 0; i < m.length; i++) m[i] = g.nextFloat() < keep ? scale : 0;
    return mul(t, fromStorage(fromNumbers(m, t.dtype), t.shape, t.dtype, 'dropout'));
  });
}
