import { matmulDims } from '@mapnn/core/backend';
import type { FloatArray } from '../cpu-backend.js';
import type { CpuKernel, CpuKernels } from './register.js';
import { gemm } from './gemm.js';

/**
 * Batched matmul: a [Ba,m,k] (or [Ba,k,m] with transA) times b [Bb,k,n] (or [Bb,n,k] with
 * transB), Ba/Bb equal or 1. Each batch is one packed, cache-blocked GEMM (see gemm.ts);
 * transposes are folded into the packing strides. `fusedMatmul` (inputs a, b and an optional
 * [n] bias; attr `activation`: 'none' | 'relu') adds the bias and applies the activation after.
 */
const ACTIVATIONS = ['none', 'relu'];

/** The kernel of `op`; matmul's attrs are fusedMatmul's without the activation, so one type serves both. */
function gemmKernel(op: 'matmul' | 'fusedMatmul'): CpuKernel<'fusedMatmul'> {
  return ([a, b, bias], attrs, be) => {
    const { ba, bb, batch, m, k, n, ars, acs, brs, bcs } = matmulDims(a!.shape, b!.shape, attrs);
    const av = be.floats(a!.dataId);
    const bv = be.floats(b!.dataId);
    const out = be.allocFloats([batch, m, n], a!.dtype); // zero-filled
    // A(i,p) = av[ao + i·ars + p·acs]; B(p,j) = bv[bo + p·brs + j·bcs] (see matmulDims).
    for (let t = 0; t < batch; t++) {
      const ao = (ba === 1 ? 0 : t) * m * k;
      const bo = (bb === 1 ? 0 : t) * k * n;
      gemm(m, n, k, av, ao, ars, acs, bv, bo, brs, bcs, out, t * m * n, n);
    }
    if (op === 'fusedMatmul') {
      const act: string = attrs.activation ?? 'none';
      if (!ACTIVATIONS.includes(act)) throw new Error(`fusedMatmul (cpu): unknown activation '${act}' (known: ${ACTIVATIONS.join(', ')})`);
      if (bias && (bias.shape.length !== 1 || bias.shape[0] !== n || bias.dtype !== a!.dtype)) {
        throw new Error(`fusedMatmul (cpu): bias must be [${n}] ${a!.dtype}, got [${bias.shape.join(', ')}] ${bias.dtype}`);
      }
      epilogue(out, batch * m, n, bias ? be.floats(bias.dataId) : null, act === 'relu');
    }
    return be.output(out, [batch, m, n], a!.dtype);
  };
}

/** The GEMM kernels of the cpu backend (float32, float64). */
export const matmulKernels = { matmul: gemmKernel('matmul'), fusedMatmul: gemmKernel('fusedMatmul') } satisfies CpuKernels;

/** `out[r, j] = act(out[r, j] + bias[j])` in place, rounding as the separate add and maximum would. */
function epilogue(out: FloatArray, rows: number, n: number, bias: FloatArray | null, relu: boolean): void {
  for (let r = 0, o = 0; r < rows; r++, o += n) {
    if (bias) for (let j = 0; j < n; j++) out[o + j] += bias[j]!;
    if (relu) {
      for (let j = o; j < o + n; j++) {
        const v = out[j]!;
        out[j] = v !== v ? NaN : v > 0 ? v : 0;
      }
    }
  }
}
