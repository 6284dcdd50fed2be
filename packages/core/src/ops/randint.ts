import { isFloat } from '../dtypes.js';
import type { Shape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { sampleTensor, type RandomOptions } from '../random/sample.js';

const RANGE: Partial<Record<string, [number, number]>> = {
  int32: [-2147483648, 2147483647],
  int8: [-128, 127],
  uint8: [0, 255],
  bool: [0, 1],
  int64: [-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

/**
 * Integers uniform in [low, high) (`torch.randint(low, high, size)`), without modulo bias.
 * int32 by default (any dtype whose range holds [low, high − 1]).
 *
 * @example randint(0, 10, [5]) // five digits
 */
export function randint(low: number, high: number, shape: Shape, opts: RandomOptions = {}): Tensor {
  const dtype = opts.dtype ?? 'int32';
  if (!Number.isInteger(low) || !Number.isInteger(high) || high <= low) {
    throw new Error(`randint: expected integers low < high, got low=${low}, high=${high}`);
  }
  const r = RANGE[dtype];
  if (r && (low < r[0] || high - 1 > r[1])) throw new Error(`randint: [${low}, ${high}) does not fit dtype ${dtype}`);
  if (!r && !isFloat(dtype)) throw new Error(`randint: unsupported dtype ${dtype}`);
  const n = high - low;
  if (n > 2 ** 53) throw new Error(`randint: range high - low = ${n} exceeds 2^53`);
  return sampleTensor(shape, dtype, 'randint', (g) => () => low + g.nextBelow(n), opts.generator);
}
