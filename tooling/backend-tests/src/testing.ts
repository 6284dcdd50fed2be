/**
 * Test references the backends' own tests share: deterministic pseudo-random data and a naive
 * float64 matmul to check a `matmul` kernel against.
 */
import { expect } from 'vitest';
import { runKernel, tensor, type DType } from '@mapnn/core';
import { xorshift32 } from '@mapnn/config/random';

export { xorshift32 };

/** `size` deterministic values in [-1, 1) (xorshift32 from `seed`), so failures reproduce. */
export function seededData(size: number, seed: number): Float64Array {
  const next = xorshift32(seed);
  const out = new Float64Array(size);
  for (let i = 0; i < size; i++) out[i] = next() / 2147483648 - 1;
  return out;
}

/**
 * Naive float64 reference of the `matmul` kernel contract: a [ba, m, k] (or [ba, k, m] with
 * `transA`) times b [bb, k, n] (or [bb, n, k] with `transB`), ba/bb equal or 1, from flat
 * row-major data. Returns the [max(ba, bb), m, n] product and, per element, Σ|a·b| (the scale
 * for a relative tolerance that is meaningful under cancellation).
 */
export function naiveMatmul(av: ArrayLike<number>, bv: ArrayLike<number>, ba: number, bb: number, m: number, k: number, n: number, transA = false, transB = false): { out: Float64Array; scale: Float64Array } {
  const batch = Math.max(ba, bb);
  const out = new Float64Array(batch * m * n);
  const scale = new Float64Array(batch * m * n);
  for (let t = 0; t < batch; t++) {
    const ao = (ba === 1 ? 0 : t) * m * k;
    const bo = (bb === 1 ? 0 : t) * k * n;
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        let abs = 0;
        for (let p = 0; p < k; p++) {
          const x = av[ao + (transA ? p * m + i : i * k + p)]!;
          const y = bv[bo + (transB ? j * k + p : p * n + j)]!;
          s += x * y;
          abs += Math.abs(x * y);
        }
        out[(t * m + i) * n + j] = s;
        scale[(t * m + i) * n + j] = abs;
      }
  }
  return { out, scale };
}

/**
 * Runs the `matmul` kernel of the current backend on seeded [ba, m, k]·[bb, k, n] operands
 * (transposed as asked) and expects the shape, the dtype and every element within a relative
 * tolerance of `naiveMatmul` (1e-5 for float32, 1e-12 for float64; NaN fails).
 */
export function expectMatmulMatchesNaive(ba: number, bb: number, m: number, k: number, n: number, transA = false, transB = false, dtype: DType = 'float32'): void {
  const aShape = transA ? [ba, k, m] : [ba, m, k];
  const bShape = transB ? [bb, n, k] : [bb, k, n];
  const Ctor = dtype === 'float64' ? Float64Array : Float32Array;
  const av = Ctor.from(seededData(ba * m * k, m * 31 + k * 7 + n + 1));
  const bv = Ctor.from(seededData(bb * k * n, n * 17 + k * 3 + m + 2));
  const a = tensor(av, aShape, dtype);
  const b = tensor(bv, bShape, dtype);
  const y = runKernel('matmul', [a, b], { transA, transB });
  try {
    expect(y.shape).toEqual([Math.max(ba, bb), m, n]);
    expect(y.dtype).toBe(dtype);
    const got = y.dataSync();
    const { out, scale } = naiveMatmul(av, bv, ba, bb, m, k, n, transA, transB);
    const rtol = dtype === 'float64' ? 1e-12 : 1e-5;
    let worst = 0;
    for (let i = 0; i < out.length; i++) {
      const err = Math.abs(got[i]! - out[i]!) / (scale[i]! + 1e-30);
      if (!(err <= worst)) worst = err; // NaN-safe
    }
    expect(worst).toBeLessThanOrEqual(rtol);
  } finally {
    a.dispose();
    b.dispose();
    y.dispose();
  }
}

/**
 * [m, k, n] products of awkward sizes for a matmul kernel: below and above typical micro-tiles,
 * packing blocks and small-product cut-offs.
 */
export const MATMUL_SHAPES: readonly (readonly [number, number, number])[] = [
  [1, 1, 1],
  [1, 5, 1],
  [2, 3, 4],
  [4, 4, 4],
  [4, 1, 8],
  [7, 13, 5],
  [8, 16, 8],
  [5, 20, 9],
  [12, 40, 17],
  [6, 7, 600],
  [5, 300, 9],
  [17, 9, 3],
  [3, 50, 70],
  [33, 2, 65],
  [64, 64, 64],
  [65, 33, 129],
  [100, 257, 37],
  [130, 520, 20],
  [129, 300, 515],
];
