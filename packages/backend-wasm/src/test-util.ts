/** Helpers shared by this package's tests. */

/** Deterministic values in [-1, 1) (xorshift32), so failures reproduce. */
export function values(size: number, seed: number): Float64Array {
  const out = new Float64Array(size);
  let s = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out[i] = s / 2147483648 - 1;
  }
  return out;
}
