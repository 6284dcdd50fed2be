import { withGrad } from '../autograd/node.js';
import { opScope } from '../memory/scope.js';
import { normAxis, shapesEqual } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { full } from './creation.js';
import { gather } from './gather.js';
import { castTo } from './helpers.js';
import { runKernel } from './kernel.js';
import { checkIndexShape, toIndex } from './movement-utils.js';
import { sliceBySpec } from './slice.js';
import { toTensor, type TensorLike } from './tensor-factory.js';

/**
 * @internal Resolves the `src` of scatter/scatterAdd: a number fills `index`'s shape; a tensor is cast to
 * `dt` and, when larger than `index`, cut to its leading part (as PyTorch reads it).
 */
export function scatterSource(op: string, src: TensorLike, index: Tensor, x: Tensor, axis: number): Tensor {
  if (typeof src === 'number' || typeof src === 'boolean') return full(index.shape, src, x.dtype);
  const s = castTo(toTensor(src), x.dtype);
  checkIndexShape(op, x.shape, index.shape, axis, s.shape);
  if (shapesEqual(s.shape, index.shape)) return s;
  return sliceBySpec(s, { begin: s.shape.map(() => 0), size: [...index.shape], step: s.shape.map(() => 1) });
}

/**
 * `torch.scatter_add`: a copy of `x` with `src` added at positions `index` along `axis`
 * (`out[i][index[i][j]] += src[i][j]` for axis 1); duplicate indices accumulate. `index` is
 * int32/int64 of `x`'s rank; `src` has at least `index`'s shape (or is a number).
 * Out-of-range indices throw.
 * Gradient: `dy` to `x`; `gather(dy, axis, index)` to `src`.
 *
 * @example scatterAdd(zeros([3]), 0, tensor([0, 2, 0], undefined, 'int32'), tensor([1, 2, 3])) // [4, 0, 2]
 */
export function scatterAdd(x: TensorLike, axis: number, index: TensorLike, src: TensorLike): Tensor {
  return opScope(() => {
    const t = toTensor(x);
    const idx = toIndex(index, 'scatterAdd');
    const ax = normAxis(axis, t.rank, 'scatterAdd');
    checkIndexShape('scatterAdd', t.shape, idx.shape, ax);
    const s = scatterSource('scatterAdd', src, idx, t, ax);
    const out = runKernel('scatterAdd', [t, idx, s], { axis: ax });
    return withGrad('scatterAdd', [t, s], out, (dy) => [dy, s.requiresGrad ? gather(dy, ax, idx) : null]);
  });
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  scatterAdd(this: Tensor, axis: number, index: TensorLike, src: TensorLike): Tensor { return scatterAdd(this, axis, index, src); },
};
