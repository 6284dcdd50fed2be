import { opScope } from '../memory/scope.js';
import { fmtShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { broadcastTo } from './broadcast-to.js';
import { asList } from './movement-utils.js';
import { reshape } from './reshape.js';
import { toTensor, type TensorLike } from './tensor-factory.js';

/**
 * Repeats `x` `reps[i]` times along each dim (`torch.tile` / `np.tile`): a shorter `reps` is
 * padded with leading 1s, a longer one gives `x` leading size-1 dims.
 * Gradient: via `broadcastTo` (the copies' gradients are summed).
 *
 * @example tile(tensor([1, 2]), [2])           // [1, 2, 1, 2]
 * @example tile(tensor([[1, 2]]), [2, 2]).shape // [2, 4]
 */
export function tile(x: TensorLike, reps: number | readonly number[]): Tensor {
  return opScope(() => {
    const t = toTensor(x);
    const r0 = asList(reps);
    if (r0.some((r) => !Number.isInteger(r) || r < 0)) {
      throw new RangeError(`tile: reps [${r0}] must be non-negative integers (x ${fmtShape(t.shape)})`);
    }
    const rank = Math.max(t.rank, r0.length);
    const r = [...new Array<number>(rank - r0.length).fill(1), ...r0];
    const s = [...new Array<number>(rank - t.rank).fill(1), ...t.shape];
    const inter = s.flatMap((d) => [1, d]);
    const wide = s.flatMap((d, i) => [r[i]!, d]);
    return reshape(broadcastTo(reshape(t, inter), wide), s.map((d, i) => d * r[i]!));
  });
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  tile(this: Tensor, reps: number | readonly number[]): Tensor { return tile(this, reps); },
};
