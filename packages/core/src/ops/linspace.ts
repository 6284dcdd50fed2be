import { fromNumbers, type DType } from '../dtypes.js';
import type { Tensor } from '../tensor.js';
import { fromStorage } from './tensor-factory.js';

/**
 * `num` evenly spaced values from `start` to `stop` inclusive (`torch.linspace`). As PyTorch,
 * the first half is computed from `start` and the second half from `stop`, so both ends are
 * exact. float32 by default.
 *
 * @example linspace(0, 1, 5) // [0, 0.25, 0.5, 0.75, 1]
 */
export function linspace(start: number, stop: number, num: number, dtype: DType = 'float32'): Tensor {
  if (!Number.isInteger(num) || num < 0) throw new Error(`linspace: num must be a non-negative integer, got ${num}`);
  const vals = new Float64Array(num);
  if (num === 1) vals[0] = start;
  else if (num > 1) {
    const step = (stop - start) / (num - 1);
    const half = Math.floor(num / 2);
    for (let i = 0; i < num; i++) vals[i] = i < half ? start + i * step : stop - (num - 1 - i) * step;
  }
  return fromStorage(fromNumbers(vals, dtype), [num], dtype, 'linspace');
}
