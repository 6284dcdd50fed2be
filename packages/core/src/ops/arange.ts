import { fromNumbers, type DType } from '../dtypes.js';
import type { Tensor } from '../tensor.js';
import { fromStorage } from './tensor-factory.js';

/**
 * Values `start, start + step, …` below `stop` (above it for a negative step), as
 * `torch.arange`: `arange(stop)` counts from 0; the length is `ceil((stop − start) / step)`
 * (0 if negative) and element i is `start + i·step`. float32 by default.
 *
 * @example arange(5) // [0, 1, 2, 3, 4]
 * @example arange(1, 2, 0.25) // [1, 1.25, 1.5, 1.75]
 */
export function arange(start: number, stop?: number, step = 1, dtype: DType = 'float32'): Tensor {
  const [a, b] = stop === undefined ? [0, start] : [start, stop];
  if (![a, b, step].every(Number.isFinite)) throw new Error(`arange: start, stop and step must be finite, got ${a}, ${b}, ${step}`);
  if (step === 0) throw new Error('arange: step must be non-zero');
  const n = Math.max(0, Math.ceil((b - a) / step));
  if (n > 2 ** 32) throw new Error(`arange: ${n} elements is too many`);
  const vals = new Float64Array(n);
  for (let i = 0; i < n; i++) vals[i] = a + i * step;
  return fromStorage(fromNumbers(vals, dtype), [n], dtype, 'arange');
}
