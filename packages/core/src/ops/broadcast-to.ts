import { withGrad } from '../autograd/node.js';
import { opScope } from '../memory/scope.js';
import { broadcastShapes, fmtShape, shapesEqual, type Shape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { runKernel } from './kernel.js';
import { sumToShape } from './sum-to-shape.js';
import { toTensor, type TensorLike } from './tensor-factory.js';

/**
 * Materialises `x` broadcast to `shape` (NumPy rules; PyTorch's `expand`, as a copy).
 * Gradient: the incoming gradient summed back to `x`'s shape.
 *
 * @example broadcastTo(tensor([1, 2]), [3, 2])
 */
export function broadcastTo(x: TensorLike, shape: Shape): Tensor {
  return opScope(() => {
    const t = toTensor(x);
    const target = [...shape];
    const b = broadcastShapes('broadcastTo', t.shape, target);
    if (!shapesEqual(b, target)) {
      throw new Error(`broadcastTo: cannot broadcast ${fmtShape(t.shape)} to ${fmtShape(shape)}`);
    }
    const out = runKernel('broadcastTo', [t], { shape: target });
    return withGrad('broadcastTo', [t], out, (dy) => [sumToShape(dy, t.shape)]);
  });
}

/** PyTorch's name: `expand(x, shape)`; -1 keeps a dimension. */
export function expand(x: TensorLike, shape: Shape): Tensor {
  const t = toTensor(x);
  const off = shape.length - t.rank;
  return broadcastTo(t, shape.map((d, i) => (d === -1 ? t.shape[i - off]! : d)));
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  broadcastTo(this: Tensor, shape: Shape): Tensor { return broadcastTo(this, shape); },
  expand(this: Tensor, shape: Shape): Tensor { return expand(this, shape); },
};
