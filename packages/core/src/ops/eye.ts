import { fromNumbers, type DType } from '../dtypes.js';
import type { Tensor } from '../tensor.js';
import { fromStorage } from './tensor-factory.js';

/**
 * An `n × m` matrix (`m = n` by default) with ones on the main diagonal (`torch.eye`). float32
 * by default.
 *
 * @example eye(2) // [[1, 0], [0, 1]]
 */
export function eye(n: number, m: number = n, dtype: DType = 'float32'): Tensor {
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(m) || m < 0) throw new Error(`eye: invalid size ${n}×${m}`);
  const vals = new Float64Array(n * m);
  for (let i = 0; i < Math.min(n, m); i++) vals[i * m + i] = 1;
  return fromStorage(fromNumbers(vals, dtype), [n, m], dtype, 'eye');
}
