import { withGrad } from '../autograd/node.js';
import { opScope } from '../memory/scope.js';
import { fmtShape, sizeOf, type Shape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { makeTensor } from './kernel.js';
import { notifyKernel } from './observe.js';
import { toTensor, type TensorLike } from './tensor-factory.js';

/** Resolves one `-1` in a requested shape; `opName` names the op in errors (a function: no message is built on success). */
export function resolveShape(size: number, shape: Shape, opName: () => string): number[] {
  const out = [...shape];
  const free = out.indexOf(-1);
  if (free !== out.lastIndexOf(-1)) throw new Error(`${opName()}: only one dimension may be -1, got ${fmtShape(shape)}`);
  if (free >= 0) {
    const rest = sizeOf(out.filter((_, i) => i !== free));
    if (rest === 0 || size % rest !== 0) throw new Error(`${opName()}: cannot infer -1 in ${fmtShape(shape)} for ${size} elements`);
    out[free] = size / rest;
  }
  if (sizeOf(out) !== size || out.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new Error(`${opName()}: cannot view ${size} elements as shape ${fmtShape(shape)}`);
  }
  return out;
}

/**
 * A view of `x` with a new shape (one dim may be -1). Shares storage; no copy.
 * Gradient: the incoming gradient reshaped back.
 *
 * @example reshape(arange(6), [2, 3])
 */
export function reshape(x: TensorLike, shape: Shape): Tensor {
  return opScope(() => {
    const t = toTensor(x);
    const target = resolveShape(t.size, shape, () => `reshape ${fmtShape(t.shape)}`);
    const { backend } = t.storage();
    const out = makeTensor({ dataId: t.dataId, shape: target, dtype: t.dtype }, backend, 'reshape');
    notifyKernel('reshape', [t], { shape: target }, out);
    return withGrad('reshape', [t], out, (dy) => [reshape(dy, t.shape)]);
  });
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  reshape(this: Tensor, shape: Shape): Tensor { return reshape(this, shape); },
  view(this: Tensor, shape: Shape): Tensor { return reshape(this, shape); },
};
