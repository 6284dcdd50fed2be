import { opScope } from '../memory/scope.js';
import { fmtShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { withGrad } from '../autograd/node.js';
import { runKernel } from './kernel.js';
import { fromStorage, tensor, toTensor, type TensorLike } from './tensor-factory.js';

/**
 * @internal tril/triu: keeps entries of the last two dims with `j - i <= k` (lower) or
 * `j - i >= k` (upper), zeroing the rest through a constant bool mask. Gradient: the same
 * masking of `dy`.
 */
export function triangle(op: 'tril' | 'triu', x: TensorLike, k: number): Tensor {
  return opScope(() => {
    const t = toTensor(x);
    if (t.rank < 2) throw new Error(`${op}: needs a tensor of at least 2 dims, got shape ${fmtShape(t.shape)}`);
    if (!Number.isInteger(k)) throw new Error(`${op}: diagonal offset k must be an integer, got ${k}`);
    const m = t.shape[t.rank - 2]!;
    const n = t.shape[t.rank - 1]!;
    const mask = new Uint8Array(m * n);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) mask[i * n + j] = (op === 'tril' ? j - i <= k : j - i >= k) ? 1 : 0;
    }
    const keepMask = fromStorage(mask, [m, n], 'bool', op);
    const zero = tensor(0, [], t.dtype);
    const out = runKernel('where', [keepMask, t, zero], {}, t.dtype);
    return withGrad(op, [t], out, (dy) => [triangle(op, dy, k)]);
  });
}
