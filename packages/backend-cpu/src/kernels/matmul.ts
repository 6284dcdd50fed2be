import { matmulDims } from '@mapnn/core';
import { cpuKernel } from './register.js';
import { gemm, type FloatArray } from './gemm.js';

/**
 * Batched matmul: a [Ba,m,k] (or [Ba,k,m] with transA) times b [Bb,k,n] (or [Bb,n,k] with
 * transB), Ba/Bb equal or 1. Each batch is one packed, cache-blocked GEMM (see gemm.ts);
 * transposes are folded into the packing strides.
 */
cpuKernel(
  'matmul',
  ([a, b], attrs, be) => {
    const { ba, bb, batch, m, k, n, ars, acs, brs, bcs } = matmulDims(a!.shape, b!.shape, attrs);
    const av = be.get(a!.dataId) as FloatArray;
    const bv = be.get(b!.dataId) as FloatArray;
    const out = be.alloc([batch, m, n], a!.dtype) as FloatArray; // zero-filled
    // A(i,p) = av[ao + i·ars + p·acs]; B(p,j) = bv[bo + p·brs + j·bcs] (see matmulDims).
    for (let t = 0; t < batch; t++) {
      const ao = (ba === 1 ? 0 : t) * m * k;
      const bo = (bb === 1 ? 0 : t) * k * n;
      gemm(m, n, k, av, ao, ars, acs, bv, bo, brs, bcs, out, t * m * n, n);
    }
    return be.output(out, [batch, m, n], a!.dtype);
  },
  ['float32', 'float64'],
);
