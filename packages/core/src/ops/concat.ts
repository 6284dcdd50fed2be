import { withGrad } from '../autograd/node.js';
import { promoteTypes } from '../dtypes.js';
import { opScope } from '../memory/scope.js';
import { fmtShape, normAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { castTo } from './helpers.js';
import { runKernel } from './kernel.js';
import { narrow } from './narrow.js';
import { toTensor, type TensorLike } from './tensor-factory.js';

/**
 * Joins tensors along an existing `axis` (`torch.cat`). All inputs need the same rank and equal
 * dims except `axis`; dtypes are promoted to a common one. Copies.
 * Gradient: the matching slice of `dy` to each input.
 *
 * @example concat([tensor([[1, 2]]), tensor([[3, 4], [5, 6]])]) // [[1, 2], [3, 4], [5, 6]]
 * @example concat([zeros([2, 1]), ones([2, 3])], 1).shape       // [2, 4]
 */
export function concat(xs: readonly TensorLike[], axis = 0): Tensor {
  return opScope(() => {
    if (xs.length === 0) throw new Error('concat: needs at least one tensor');
    const raw = xs.map((x) => toTensor(x));
    const first = raw[0]!;
    if (first.rank === 0) throw new Error('concat: cannot concatenate scalars (rank 0); use stack');
    const ax = normAxis(axis, first.rank, 'concat');
    const ok = raw.every((t) => t.rank === first.rank && t.shape.every((d, i) => i === ax || d === first.shape[i]));
    if (!ok) {
      throw new Error(
        `concat: along axis ${ax} all inputs need the same rank and equal other dims; got ${raw.map((t) => fmtShape(t.shape)).join(', ')}`,
      );
    }
    const dt = raw.map((t) => t.dtype).reduce(promoteTypes);
    const ts = raw.map((t) => castTo(t, dt));
    const out = runKernel('concat', ts, { axis: ax });
    return withGrad('concat', ts, out, (dy) => {
      let off = 0;
      return ts.map((t) => {
        const n = t.shape[ax]!;
        const g = t.requiresGrad ? narrow(dy, ax, off, n) : null;
        off += n;
        return g;
      });
    });
  });
}

/** PyTorch's name for `concat`. */
export const cat = concat;
