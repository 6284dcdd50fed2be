/**
 * matmul fast path: batched, transposes folded into strides, packed SIMD GEMM in the kernel
 * module; large products are split over the thread pool by output blocks.
 */
import { DTYPE_CODE, FLOATS } from '../dtype-codes.js';
import { wasmKernel } from './register.js';

const MR = 4;
const NR = 8;

wasmKernel(
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
    const shape = [batch, m, n];
    const out = be.alloc(shape, a!.dtype);
    if (batch * m * n === 0) return be.output(out, shape, a!.dtype);
    // A(i,p) = a[i·ars + p·acs]; B(p,j) = b[p·brs + j·bcs]
    const ars = transA ? 1 : k;
    const acs = transA ? m : 1;
    const brs = transB ? 1 : n;
    const bcs = transB ? k : 1;
    const work = (batch * m * n * Math.max(k, 1)) / 8;
    const nt = be.threadsFor(work);
    let splitM = 1;
    let splitN = 1;
    if (nt > 1 && batch < 2 * nt) {
      // cut each product into enough blocks for every thread, along the longer side
      const want = Math.ceil((2 * nt) / batch);
      if (m / MR >= n / NR) splitM = Math.max(1, Math.min(want, Math.ceil(m / MR)));
      else splitN = Math.max(1, Math.min(want, Math.ceil(n / NR)));
    }
    const scratch = be.gemmScratchFor(nt);
    be.run(
      'matmul',
      [DTYPE_CODE[a!.dtype], be.ptr(a!), be.ptr(b!), out.ptr, batch, ba, bb, m, n, k, ars, acs, brs, bcs, splitM, splitN, scratch.base, scratch.stride],
      work,
    );
    return be.output(out, shape, a!.dtype);
  },
  FLOATS,
);
