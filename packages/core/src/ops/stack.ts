import { opScope } from '../memory/scope.js';
import { fmtShape, normAxis, shapesEqual } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { concat } from './concat.js';
import { toTensor, type TensorLike } from './tensor-factory.js';
import { unsqueeze } from './unsqueeze.js';

/**
 * Joins equally shaped tensors along a new `axis` (in `[-rank-1, rank]`), as `torch.stack`;
 * dtypes are promoted. Gradient: via `concat` (each input gets its slice of `dy`).
 *
 * @example stack([tensor([1, 2]), tensor([3, 4])]).shape     // [2, 2]
 * @example stack([tensor([1, 2]), tensor([3, 4])], 1)         // [[1, 3], [2, 4]]
 */
export function stack(xs: readonly TensorLike[], axis = 0): Tensor {
  return opScope(() => {
    if (xs.length === 0) throw new Error('stack: needs at least one tensor');
    const ts = xs.map((x) => toTensor(x));
    const first = ts[0]!;
    if (!ts.every((t) => shapesEqual(t.shape, first.shape))) {
      throw new Error(`stack: all tensors need the same shape; got ${ts.map((t) => fmtShape(t.shape)).join(', ')}`);
    }
    const ax = normAxis(axis, first.rank + 1, 'stack');
    return concat(
      ts.map((t) => unsqueeze(t, ax)),
      ax,
    );
  });
}
