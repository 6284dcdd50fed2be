/**
 * `(x − mean) / (std + 1e-8)` with the unbiased standard deviation (Stable-Baselines3's
 * advantage normalization).
 *
 * @example standardize(Float32Array.of(1, 2, 3)) // [-1, 0, 1]
 */
export function standardize(x: Float32Array): Float32Array {
  let m = 0;
  for (const v of x) m += v;
  m /= x.length;
  let s = 0;
  for (const v of x) s += (v - m) ** 2;
  const std = Math.sqrt(s / (x.length - 1));
  return x.map((v) => (v - m) / (std + 1e-8));
}
