import { withGrad } from '../autograd/node.js';
import { opScope } from '../memory/scope.js';
import { normAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { gather } from './gather.js';
import { runKernel } from './kernel.js';
import { checkIndexShape, toIndex } from './movement-utils.js';
import { scatterSource } from './scatter-add.js';
import { toTensor, type TensorLike } from './tensor-factory.js';

/**
 * `torch.scatter`: a copy of `x` with `src` written at positions `index` along `axis`
 * (`out[i][index[i][j]] = src[i][j]` for axis 1; with duplicate indices the last write wins).
 * `index` is int32/int64 of `x`'s rank; `src` has at least `index`'s shape, or is a number.
 * Out-of-range indices throw.
 * Gradient: `dy` with the written positions zeroed to `x`; `gather(dy, axis, index)` to `src`.
 *
 * @example scatter(zeros([2, 3]), 1, tensor([[2], [0]], undefined, 'int32'), tensor([[5], [6]])) // [[0, 0, 5], [6, 0, 0]]
 */
export function scatter(x: TensorLike, axis: number, index: TensorLike, src: TensorLike): Tensor {
  return opScope(() => {
    const t = toTensor(x);
    const idx = toIndex(index, 'scatter');
    const ax = normAxis(axis, t.rank, 'scatter');
    checkIndexShape('scatter', t.shape, idx.shape, ax);
    const s = scatterSource('scatter', src, idx, t, ax);
    const out = runKernel('scatter', [t, idx, s], { axis: ax });
    return withGrad('scatter', [t, s], out, (dy) => [
      t.requiresGrad ? scatter(dy, ax, idx, 0) : null,
      s.requiresGrad ? gather(dy, ax, idx) : null,
    ]);
  });
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  scatter(this: Tensor, axis: number, index: TensorLike, src: TensorLike): Tensor { return scatter(this, axis, index, src); },
};
