import { xorshift32 } from '@mapnn/config/random';

/** Deterministic uniform values in [-1, 1) (xorshift32), shared by both frameworks. */
export function randomData(size: number, seed: number): Float32Array {
  const next = xorshift32(seed);
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = next() / 2147483648 - 1;
  return out;
}
