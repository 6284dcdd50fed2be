import { withGrad } from '../autograd/node.js';
import { opScope } from '../memory/scope.js';
import { broadcastShapes, fmtShape, sizeOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { binaryOperands } from './helpers.js';
import { hasKernel, runKernel } from './kernel.js';
import { mul } from './mul.js';
import { reshape } from './reshape.js';
import { broadcastTo } from './broadcast-to.js';
import { sum } from './sum.js';
import { sumToShape } from './sum-to-shape.js';
import { swapAxes } from './transpose.js';
import type { TensorLike } from './tensor-factory.js';

/**
 * `a (…,m,k) @ b (…,k,n)` on 3-D operands whose batch dims are equal or 1, optionally
 * transposing the last two dims of either operand first. Uses the backend's `matmul` kernel
 * when it has one, else composes from broadcasting `mul` and `sum`.
 * Gradient: `dA = dY·Bᵀ`, `dB = Aᵀ·dY` (summed over broadcast batch dims).
 */
export function batchMatmul(a: Tensor, b: Tensor, transA = false, transB = false): Tensor {
  return opScope(() => {
    const [m, k] = transA ? [a.shape[2]!, a.shape[1]!] : [a.shape[1]!, a.shape[2]!];
    const [k2, n] = transB ? [b.shape[2]!, b.shape[1]!] : [b.shape[1]!, b.shape[2]!];
    if (k !== k2) throw new Error(`matmul: inner dims differ: ${fmtShape(a.shape)} @ ${fmtShape(b.shape)}${transA ? ' (A transposed)' : ''}${transB ? ' (B transposed)' : ''}`);
    const batch = Math.max(a.shape[0]!, b.shape[0]!);
    let out: Tensor;
    if (hasKernel('matmul', a.dtype)) {
      out = runKernel('matmul', [a, b], { transA, transB });
    } else {
      const A = transA ? swapAxes(a, 1, 2) : a; // [B,m,k]
      const B = transB ? swapAxes(b, 1, 2) : b; // [B,k,n]
      out = sum(mul(reshape(A, [A.shape[0]!, m, k, 1]), reshape(B, [B.shape[0]!, 1, k, n])), 2);
      if (out.shape[0] !== batch) out = broadcastTo(out, [batch, m, n]);
    }
    return withGrad('matmul', [a, b], out, (dy) => [
      a.requiresGrad ? sumToShape(transA ? batchMatmul(b, dy, transB, true) : batchMatmul(dy, b, false, !transB), a.shape) : null,
      b.requiresGrad ? sumToShape(transB ? batchMatmul(dy, a, true, transA) : batchMatmul(a, dy, !transA, false), b.shape) : null,
    ]);
  });
}

/**
 * Matrix product with NumPy semantics: 1-D operands are promoted to matrices (and the added
 * dim removed), leading batch dims broadcast.
 *
 * @example matmul(ones([2, 3]), ones([3, 4])).shape // [2, 4]
 */
export function matmul(a: TensorLike, b: TensorLike): Tensor {
  return opScope(() => {
    const [x, y] = binaryOperands(a, b);
    if (x.rank === 0 || y.rank === 0) throw new Error(`matmul: operands must be at least 1-D, got ${fmtShape(x.shape)} and ${fmtShape(y.shape)}`);
    const xv = x.rank === 1 ? reshape(x, [1, x.shape[0]!]) : x;
    const yv = y.rank === 1 ? reshape(y, [y.shape[0]!, 1]) : y;
    const m = xv.shape[xv.rank - 2]!;
    const k = xv.shape[xv.rank - 1]!;
    const k2 = yv.shape[yv.rank - 2]!;
    const n = yv.shape[yv.rank - 1]!;
    if (k !== k2) throw new Error(`matmul: shapes ${fmtShape(x.shape)} and ${fmtShape(y.shape)} are not aligned (${k} vs ${k2})`);
    const batch = broadcastShapes('matmul', xv.shape.slice(0, -2), yv.shape.slice(0, -2));
    const bs = sizeOf(batch);
    const prep = (t: Tensor, r: number, c: number) => {
      const own = t.shape.slice(0, -2);
      if (sizeOf(own) === bs && own.length === batch.length) return reshape(t, [bs, r, c]);
      if (sizeOf(own) === 1) return reshape(t, [1, r, c]);
      return reshape(broadcastTo(t, [...batch, r, c]), [bs, r, c]);
    };
    const out3 = batchMatmul(prep(xv, m, k), prep(yv, k, n));
    const shape = [...batch, ...(x.rank === 1 ? [] : [m]), ...(y.rank === 1 ? [] : [n])];
    return reshape(out3, shape);
  });
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  matmul(this: Tensor, b: TensorLike): Tensor { return matmul(this, b); },
};
