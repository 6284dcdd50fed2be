import { beforeAll, describe, expect, it } from 'vitest';
import { exp, runKernel, setBackendAsync, tanh, tensor, type Tensor } from '@mapnn/core';
import './index.js';

/** Distance in float32 ulps between `got` and the float32 rounding of `want`. */
function ulps(got: number, want: number): number {
  const w = Math.fround(want);
  if (Object.is(got, w) || got === w) return 0;
  if (!Number.isFinite(w) || !Number.isFinite(got)) return Infinity;
  const ulp = Math.max(2 ** -149, 2 ** (Math.floor(Math.log2(Math.abs(w))) - 23));
  return Math.abs(got - w) / ulp;
}

function worstUlps(xs: Float32Array, f: (x: number) => number, op: (t: Tensor) => Tensor): { worst: number; at: number } {
  const got = op(tensor(xs)).dataSync();
  let worst = 0;
  let at = NaN;
  xs.forEach((x, i) => {
    const want = f(x);
    const u = Number.isNaN(want) ? (Number.isNaN(got[i]!) ? 0 : Infinity) : ulps(got[i]!, want);
    if (u > worst) [worst, at] = [u, x];
  });
  return { worst, at };
}

const grid = (lo: number, hi: number, n: number) => Float32Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
const SPECIAL = Float32Array.from([0, -0, NaN, Infinity, -Infinity, 88.7, 89, -87.5, -100, -104, -110, 1e-8, -1e-8, 1e-30]);

describe('float32 SIMD exp, tanh and sigmoid', () => {
  beforeAll(async () => {
    await setBackendAsync('wasm');
  });

  it('exp is within 2 ulps over [-104, 89], special values exact', () => {
    const r = worstUlps(grid(-104, 89, 200_003), Math.exp, exp);
    expect(r.worst, `worst at x = ${r.at}`).toBeLessThanOrEqual(2);
    const s = worstUlps(SPECIAL, Math.exp, exp);
    expect(s.worst, `worst at x = ${s.at}`).toBeLessThanOrEqual(1);
  });

  it('tanh is within 3 ulps over [-12, 12] (small |x| included), special values exact', () => {
    for (const [lo, hi] of [[-12, 12], [-0.7, 0.7], [-1e-3, 1e-3]]) {
      const r = worstUlps(grid(lo!, hi!, 100_003), Math.tanh, tanh);
      expect(r.worst, `worst at x = ${r.at}`).toBeLessThanOrEqual(3);
    }
    const s = worstUlps(SPECIAL, Math.tanh, tanh);
    expect(s.worst, `worst at x = ${s.at}`).toBeLessThanOrEqual(1);
  });

  it('sigmoid (the optional kernel) is within 3 ulps over [-104, 30], special values exact', () => {
    const sigmoid = (t: Tensor) => runKernel('sigmoid', [t]);
    const ref = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
    const r = worstUlps(grid(-104, 30, 200_003), ref, sigmoid);
    expect(r.worst, `worst at x = ${r.at}`).toBeLessThanOrEqual(3);
    const s = worstUlps(SPECIAL, ref, sigmoid);
    expect(s.worst, `worst at x = ${s.at}`).toBeLessThanOrEqual(1);
  });
});
