/**
 * matmul fast path: batched, transposes folded into strides, packed SIMD GEMM in the kernel
 * module; large products are split over the thread pool by output blocks, which the threads
 * claim one at a time (a late or descheduled thread leaves its share to the others).
 */
import { matmulDims, type DType } from '@mapnn/core/backend';
import { DTYPE_CODE } from '../dtype-codes.js';
import type { WasmBackend } from '../wasm-backend.js';
import { activationCode } from './op-codes.js';
import type { WasmKernel, WasmKernels } from './register.js';

const MR = 4;
const NR = 8;

/** Operand layout of one (batched) product: A(i,p) = a[i·ars + p·acs], B(p,j) = b[p·brs + j·bcs]. */
export interface GemmArgs {
  a: number;
  b: number;
  c: number;
  batch: number;
  /** Batch sizes of A and B (1: broadcast over the batch). */
  ba: number;
  bb: number;
  m: number;
  n: number;
  k: number;
  ars: number;
  acs: number;
  brs: number;
  bcs: number;
  /** Pointer of a [n] bias added to every output row (fusedMatmul; 0 or absent: none). */
  bias?: number;
  /** Activation applied after the bias: 0 none, 1 relu. */
  act?: number;
  /** Sum the batch into one m×n output (c = Σ_t A[t]·B[t]) instead of one output per t. */
  sumBatch?: boolean;
  /** Batch strides of A and B in elements (default: contiguous batches, m·k and k·n). */
  batchStrideA?: number;
  batchStrideB?: number;
}

/**
 * Runs the `matmul` kernel: c[t] (m×n, contiguous) = A[t]·B[t] for t < batch (or with
 * `sumBatch` c = Σ_t A[t]·B[t]), threaded by output blocks.
 */
export function runGemm(be: WasmBackend, dtype: DType, g: GemmArgs): void {
  const { batch, m, n, k } = g;
  const work = (batch * m * n * Math.max(k, 1)) / 8;
  const nt = be.threadsFor(work);
  let splitM = 1;
  let splitN = 1;
  const outputs = g.sumBatch ? 1 : batch;
  if (nt > 1 && outputs < 2 * nt) {
    // cut each product into enough blocks for every thread, along the longer side
    const want = Math.ceil((2 * nt) / outputs);
    if (m / MR >= n / NR) splitM = Math.max(1, Math.min(want, Math.ceil(m / MR)));
    else splitN = Math.max(1, Math.min(want, Math.ceil(n / NR)));
  }
  const scratch = be.gemmScratchFor(nt);
  be.run(
    'matmul',
    // the last slot is the unit counter the threads claim blocks from (starts at 0)
    [DTYPE_CODE[dtype], g.a, g.b, g.c, batch, g.ba, g.bb, m, n, k, g.ars, g.acs, g.brs, g.bcs, splitM, splitN, scratch.base, scratch.stride, 0, g.bias ?? 0, g.act ?? 0, g.sumBatch ? 1 : 0, g.batchStrideA ?? 0, g.batchStrideB ?? 0],
    work,
  );
}

/** matmul, or fusedMatmul (bias and activation applied in the GEMM's epilogue). */
function matmulKernel(op: 'matmul' | 'fusedMatmul'): WasmKernel<'fusedMatmul'> { // matmul's attrs are fusedMatmul's without the activation
  return ([a, b, bias], attrs, be) => {
    const { batch, ba, bb, m, n, k, ars, acs, brs, bcs } = matmulDims(a!.shape, b!.shape, attrs);
    const act = op === 'fusedMatmul' ? activationCode(op, attrs.activation) : 0;
    if (bias && (bias.shape.length !== 1 || bias.shape[0] !== n || bias.dtype !== a!.dtype)) {
      throw new Error(`fusedMatmul (wasm): bias must be [${n}] ${a!.dtype}, got [${bias.shape.join(', ')}] ${bias.dtype}`);
    }
    const shape = [batch, m, n];
    const out = be.alloc(shape, a!.dtype);
    if (batch * m * n === 0) return be.output(out, shape, a!.dtype);
    const biasPtr = op === 'fusedMatmul' && bias ? be.ptr(bias) : 0;
    runGemm(be, a!.dtype, { a: be.ptr(a!), b: be.ptr(b!), c: out.ptr, batch, ba, bb, m, n, k, ars, acs, brs, bcs, bias: biasPtr, act });
    return be.output(out, shape, a!.dtype);
  };
}

export const matmulKernels = { matmul: matmulKernel('matmul'), fusedMatmul: matmulKernel('fusedMatmul') } satisfies WasmKernels;
