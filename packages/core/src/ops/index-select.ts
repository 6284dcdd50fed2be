import { withGrad } from '../autograd/node.js';
import { opScope } from '../memory/scope.js';
import { fmtShape, normAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { broadcastTo } from './broadcast-to.js';
import { zeros } from './creation.js';
import { runKernel } from './kernel.js';
import { toIndex } from './movement-utils.js';
import { reshape } from './reshape.js';
import { scatterAdd } from './scatter-add.js';
import { toTensor, type TensorLike } from './tensor-factory.js';

/**
 * `torch.index_select`: the slices of `x` at positions `indices` (1-D int32/int64, or a plain
 * array) along `axis`, in that order; repeats allowed. Out-of-range indices throw. Embedding
 * lookups are `indexSelect(table, 0, ids)`.
 * Gradient: `dy` scatter-added back along `axis` (repeated indices accumulate).
 *
 * @example indexSelect(tensor([[1, 2], [3, 4], [5, 6]]), 0, [2, 0, 2]) // [[5, 6], [1, 2], [5, 6]]
 */
export function indexSelect(x: TensorLike, axis: number, indices: TensorLike): Tensor {
  return opScope(() => {
    const t = toTensor(x);
    let idx = toIndex(indices, 'indexSelect', 'indices');
    if (idx.rank > 1) throw new Error(`indexSelect: indices must be 1-D, got shape ${fmtShape(idx.shape)}`);
    if (idx.rank === 0) idx = reshape(idx, [1]);
    if (t.rank === 0) throw new Error(`indexSelect: x must have at least one dim, got a scalar`);
    const ax = normAxis(axis, t.rank, 'indexSelect');
    const out = runKernel('indexSelect', [t, idx], { axis: ax });
    return withGrad('indexSelect', [t], out, (dy) => [
      opScope(() => {
        const line = reshape(idx, dy.shape.map((d, i) => (i === ax ? d : 1)));
        return scatterAdd(zeros(t.shape, dy.dtype), ax, broadcastTo(line, dy.shape), dy);
      }),
    ]);
  });
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  indexSelect(this: Tensor, axis: number, indices: TensorLike): Tensor { return indexSelect(this, axis, indices); },
};
