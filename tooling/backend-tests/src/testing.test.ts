import { describe, expect, it } from 'vitest';
import { naiveMatmul, seededData, xorshift32 } from './testing.js';

describe('test references', () => {
  it('seededData is deterministic, in [-1, 1), and differs by seed', () => {
    const a = seededData(1000, 7);
    expect(Array.from(seededData(1000, 7))).toEqual(Array.from(a));
    expect(a.every((v) => v >= -1 && v < 1)).toBe(true);
    expect(seededData(4, 8)[0]).not.toBe(a[0]);
    const next = xorshift32(7);
    expect(next() / 2147483648 - 1).toBe(a[0]);
  });

  it('naiveMatmul: batched product with transposes and broadcast batch, and Σ|a·b|', () => {
    // a = [[1, -2], [3, 4]], b = [[5, 6], [7, 8]]
    const { out, scale } = naiveMatmul([1, -2, 3, 4], [5, 6, 7, 8], 1, 1, 2, 2, 2);
    expect(Array.from(out)).toEqual([-9, -10, 43, 50]);
    expect(Array.from(scale)).toEqual([19, 22, 43, 50]);
    // aᵀ stored, bᵀ stored, b batched twice (second batch = 2·b)
    const t = naiveMatmul([1, 3, -2, 4], [5, 7, 6, 8, 10, 14, 12, 16], 1, 2, 2, 2, 2, true, true);
    expect(Array.from(t.out)).toEqual([-9, -10, 43, 50, -18, -20, 86, 100]);
  });
});
