import { opScope } from '../memory/scope.js';
import { normAxes } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { runKernel } from './kernel.js';
import { reduceRaw } from './reduce-util.js';
import { reshape } from './reshape.js';
import { reducedShape } from './sum.js';
import { scalar, toTensor, type TensorLike } from './tensor-factory.js';
import type { Axes } from '../methods/declarations.js';

/**
 * Whether every element over `axes` (all by default) is true (non-zero; NaN counts as true).
 * Returns bool; an empty slice gives true. Not differentiable.
 *
 * @example all(tensor([[1, 0], [1, 1]]), 1) // [false, true]
 */
export function all(x: TensorLike, axes?: number | readonly number[], keepDims = false): Tensor {
  return opScope(() => {
    const t = toTensor(x);
    const b = t.dtype === 'bool' ? t : runKernel('ne', [t, scalar(0, t.dtype)]); // NaN is true
    const ax = normAxes(axes, t.rank, 'all');
    const raw = reduceRaw('prod', b, ax); // product of 0/1 values; empty → 1
    return keepDims ? reshape(raw, reducedShape(t.shape, ax, true)) : raw;
  });
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  /** Whether all elements over `axes` are true; see `all`. */
  all(this: Tensor, axes?: Axes, keepDims?: boolean): Tensor { return all(this, axes, keepDims); },
};
