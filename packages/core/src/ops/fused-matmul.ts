import { opScope } from '../memory/scope.js';
import { fmtShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { add } from './add.js';
import { composite } from './composite.js';
import { gt } from './gt.js';
import { hasKernel, runKernel } from './kernel.js';
import { batchMatmul } from './matmul.js';
import { relu } from './relu.js';
import { sumToShape } from './sum-to-shape.js';
import { where } from './where.js';

/** Activations `fusedMatmul` can apply to its result. */
export type FusedActivation = 'none' | 'relu';

/**
 * `activation(a @ b + bias)` on 3-D operands (as `batchMatmul`: `[Ba,m,k] @ [Bb,k,n]`, batch dims
 * equal or 1, last two dims optionally transposed), `bias` `[n]` added to every row. A backend
 * with a `fusedMatmul` kernel adds the bias and applies the activation while each output block is
 * still in cache; elsewhere it is composed (`batchMatmul`, `add`, `relu`).
 * Gradient: `dz = dy` where the output is positive (relu) or everywhere (none), then
 * `dA = dz·Bᵀ`, `dB = Aᵀ·dz` (transposes folded), `dbias = Σ dz` over batch and rows.
 *
 * @example fusedMatmul(ones([1, 2, 3]), ones([1, 3, 4]), false, false, tensor([-4, 0, 1, 2]), 'relu') // [[[0, 3, 4, 5], …]]
 */
export function fusedMatmul(
  a: Tensor,
  b: Tensor,
  transA = false,
  transB = false,
  bias: Tensor | null = null,
  activation: FusedActivation = 'none',
): Tensor {
  return opScope(() => {
    if (activation !== 'none' && activation !== 'relu') throw new Error(`fusedMatmul: activation must be 'none' or 'relu', got '${String(activation)}'`);
    const n = transB ? b.shape[1] : b.shape[2];
    if (bias && (bias.rank !== 1 || bias.shape[0] !== n || bias.dtype !== a.dtype)) {
      throw new Error(`fusedMatmul: bias must be [${n}] ${a.dtype} for ${fmtShape(a.shape)} @ ${fmtShape(b.shape)}, got ${fmtShape(bias.shape)} ${bias.dtype}`);
    }
    if (!bias && activation === 'none') return batchMatmul(a, b, transA, transB);
    const inputs = bias ? [a, b, bias] : [a, b];
    return composite(
      'fusedMatmul',
      inputs,
      () => {
        if (hasKernel('fusedMatmul', a.dtype)) return runKernel('fusedMatmul', inputs, { transA, transB, activation });
        const y = batchMatmul(a, b, transA, transB);
        const z = bias ? add(y, bias) : y;
        return activation === 'relu' ? relu(z) : z;
      },
      (dy, out) => {
        const dz = activation === 'relu' ? where(gt(out, 0), dy, 0) : dy;
        return [
          a.requiresGrad ? sumToShape(transA ? batchMatmul(b, dz, transB, true) : batchMatmul(dz, b, false, !transB), a.shape) : null,
          b.requiresGrad ? sumToShape(transB ? batchMatmul(dz, a, true, transA) : batchMatmul(a, dz, !transA, false), b.shape) : null,
          bias?.requiresGrad ? sumToShape(dz, bias.shape) : null,
        ];
      },
    );
  });
}
