import { opScope } from '../memory/scope.js';
import { fmtShape, normAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { sliceBySpec } from './slice.js';
import { toTensor, type TensorLike } from './tensor-factory.js';

/**
 * `torch.narrow`: the `length` entries of `x` along `axis` from `start` (negative counts from
 * the end). Unlike `slice`, nothing is clamped: the range must lie inside the dim. Copies.
 * Gradient: as `slice` (`dy` zero-padded back into place).
 *
 * @example narrow(tensor([[1, 2, 3], [4, 5, 6]]), 1, 1, 2) // [[2, 3], [5, 6]]
 */
export function narrow(x: TensorLike, axis: number, start: number, length: number): Tensor {
  return opScope(() => {
    const t = toTensor(x);
    const a = normAxis(axis, t.rank, 'narrow');
    const d = t.shape[a]!;
    const s = start < 0 ? start + d : start;
    if (!Number.isInteger(s) || !Number.isInteger(length) || s < 0 || length < 0 || s + length > d) {
      throw new RangeError(
        `narrow: start ${start}, length ${length} is outside dim ${a} of size ${d} (x ${fmtShape(t.shape)})`,
      );
    }
    const begin = t.shape.map((_, i) => (i === a && length > 0 ? s : 0));
    const size = t.shape.map((n, i) => (i === a ? length : n));
    return sliceBySpec(t, { begin, size, step: t.shape.map(() => 1) });
  });
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  narrow(this: Tensor, axis: number, start: number, length: number): Tensor { return narrow(this, axis, start, length); },
};
