import { describe, expect, it } from 'vitest';
import { tensor } from '@mapnn/core';
import { oneHotEncode } from './one-hot-encode.js';

describe('oneHotEncode', () => {
  it('encodes labels from arrays and tensors, with optional label smoothing', () => {
    expect(oneHotEncode([0, 2], 3).arraySync()).toEqual([
      [1, 0, 0],
      [0, 0, 1],
    ]);
    expect(oneHotEncode(tensor([1, 0], [2], 'int32')).arraySync()).toEqual([
      [0, 1],
      [1, 0],
    ]);
    const s = oneHotEncode([1], 2, { labelSmoothing: 0.1, dtype: 'float64' });
    expect(s.dtype).toBe('float64');
    expect(Array.from(s.dataSync()).map((v) => +v.toFixed(12))).toEqual([0.05, 0.95]);
  });

  it('rejects out-of-range and non-integer labels', () => {
    expect(() => oneHotEncode([3], 3)).toThrow(/label 3 is out of range for 3 classes/);
    expect(() => oneHotEncode([0.5])).toThrow(/label 0 is 0.5/);
    expect(() => oneHotEncode([-1])).toThrow(/non-negative integers/);
  });
});
