import { withGrad } from '../autograd/node.js';
import { opScope } from '../memory/scope.js';
import { normAxes } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { castTo } from './helpers.js';
import { runKernel } from './kernel.js';
import { reshape } from './reshape.js';
import { broadcastTo } from './broadcast-to.js';
import { toTensor, type TensorLike } from './tensor-factory.js';

/** Shape after reducing `axes` of `shape`, keeping them as size-1 dims when `keepDims`. */
export function reducedShape(shape: readonly number[], axes: readonly number[], keepDims: boolean): number[] {
  return keepDims ? shape.map((d, i) => (axes.includes(i) ? 1 : d)) : shape.filter((_, i) => !axes.includes(i));
}

/**
 * Sum over `axes` (all by default), optionally keeping reduced dims. Integer and bool inputs
 * sum in int64 as in PyTorch.
 * Gradient: the incoming gradient broadcast back over the reduced axes.
 *
 * @example sum(tensor([[1, 2], [3, 4]]), 1) // [3, 7]
 */
export function sum(x: TensorLike, axes?: number | readonly number[], keepDims = false): Tensor {
  return opScope(() => {
    let t = toTensor(x);
    if (t.dtype === 'bool' || t.dtype === 'int8' || t.dtype === 'uint8' || t.dtype === 'int32') t = castTo(t, 'int64');
    const ax = normAxes(axes, t.rank, 'sum');
    const kept = reducedShape(t.shape, ax, true);
    let out: Tensor;
    if (ax.length === 0) out = runKernel('cast', [t], { dtype: t.dtype });
    else {
      const raw = runKernel('sum', [t], { axes: ax });
      out = keepDims ? reshape(raw, kept) : raw;
    }
    return withGrad('sum', [t], out, (dy) => [broadcastTo(reshape(dy, kept), t.shape)]);
  });
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  sum(this: Tensor, axes?: number | readonly number[], keepDims?: boolean): Tensor { return sum(this, axes, keepDims); },
};
