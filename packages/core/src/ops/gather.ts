import { withGrad } from '../autograd/node.js';
import { opScope } from '../memory/scope.js';
import { normAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { zeros } from './creation.js';
import { runKernel } from './kernel.js';
import { checkIndexShape, toIndex } from './movement-utils.js';
import { scatterAdd } from './scatter-add.js';
import { toTensor, type TensorLike } from './tensor-factory.js';

/**
 * `torch.gather`: picks values of `x` along `axis` at positions `index` (int32/int64, same
 * rank as `x`, no larger dims except along `axis`): `out[i][j][k] = x[i][index[i][j][k]][k]`
 * for axis 1. The output has the shape of `index`. Out-of-range indices throw.
 * Gradient: `dy` scatter-added into zeros of `x`'s shape (duplicate indices accumulate).
 *
 * @example gather(tensor([[1, 2], [3, 4]]), 1, tensor([[0, 0], [1, 0]], undefined, 'int32')) // [[1, 1], [4, 3]]
 */
export function gather(x: TensorLike, axis: number, index: TensorLike): Tensor {
  return opScope(() => {
    const t = toTensor(x);
    const idx = toIndex(index, 'gather');
    const ax = normAxis(axis, t.rank, 'gather');
    checkIndexShape('gather', t.shape, idx.shape, ax);
    const out = runKernel('gather', [t, idx], { axis: ax });
    return withGrad('gather', [t], out, (dy) => [scatterAdd(zeros(t.shape, dy.dtype), ax, idx, dy)]);
  });
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  gather(this: Tensor, axis: number, index: TensorLike): Tensor { return gather(this, axis, index); },
};
