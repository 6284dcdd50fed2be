import { fromNumbers } from '../dtypes.js';
import type { Tensor } from '../tensor.js';
import { resolveGenerator } from '../random/generator.js';
import type { RandomOptions } from '../random/sample.js';
import { fromStorage } from './tensor-factory.js';

/**
 * A random permutation of `0 … n−1` (`torch.randperm`; Fisher–Yates shuffle). int64 by
 * default.
 *
 * @example randperm(5) // e.g. [3, 0, 4, 1, 2]
 */
export function randperm(n: number, opts: RandomOptions = {}): Tensor {
  if (!Number.isInteger(n) || n < 0) throw new Error(`randperm: n must be a non-negative integer, got ${n}`);
  const dtype = opts.dtype ?? 'int64';
  const g = resolveGenerator(opts.generator);
  const perm = new Float64Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = g.nextBelow(i + 1);
    const tmp = perm[i]!;
    perm[i] = perm[j]!;
    perm[j] = tmp;
  }
  return fromStorage(fromNumbers(perm, dtype), [n], dtype, 'randperm');
}
