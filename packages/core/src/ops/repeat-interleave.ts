import { opScope } from '../memory/scope.js';
import { fmtShape, normAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { broadcastTo } from './broadcast-to.js';
import { indexSelect } from './index-select.js';
import { indexTensor } from './movement-utils.js';
import { reshape } from './reshape.js';
import { toTensor, type TensorLike } from './tensor-factory.js';

/**
 * Repeats each entry of `x` along `axis` (`torch.repeat_interleave`): `repeats` times each, or
 * `repeats[i]` times entry i. Without `axis`, `x` is flattened first.
 * Gradient: via `broadcastTo` (number) or `indexSelect` (list): the copies' gradients are summed.
 *
 * @example repeatInterleave(tensor([1, 2]), 2)                   // [1, 1, 2, 2]
 * @example repeatInterleave(tensor([[1, 2], [3, 4]]), 2, 1)      // [[1, 1, 2, 2], [3, 3, 4, 4]]
 * @example repeatInterleave(tensor([1, 2, 3]), [0, 1, 2], 0)     // [2, 3, 3]
 */
export function repeatInterleave(x: TensorLike, repeats: number | readonly number[], axis?: number): Tensor {
  return opScope(() => {
    let t = toTensor(x);
    if (axis === undefined) t = reshape(t, [t.size]);
    const a = normAxis(axis ?? 0, t.rank, 'repeatInterleave');
    const d = t.shape[a]!;
    if (typeof repeats === 'number') {
      if (!Number.isInteger(repeats) || repeats < 0) {
        throw new RangeError(`repeatInterleave: repeats ${repeats} must be a non-negative integer`);
      }
      const inter = [...t.shape.slice(0, a + 1), 1, ...t.shape.slice(a + 1)];
      const wide = [...t.shape.slice(0, a + 1), repeats, ...t.shape.slice(a + 1)];
      const out = t.shape.map((n, i) => (i === a ? n * repeats : n));
      return reshape(broadcastTo(reshape(t, inter), wide), out);
    }
    if (repeats.length !== d || repeats.some((r) => !Number.isInteger(r) || r < 0)) {
      throw new RangeError(
        `repeatInterleave: repeats [${repeats}] must be ${d} non-negative integers, one per entry of axis ${a} of ${fmtShape(t.shape)}`,
      );
    }
    const idx: number[] = [];
    repeats.forEach((r, i) => {
      for (let k = 0; k < r; k++) idx.push(i);
    });
    return indexSelect(t, a, indexTensor(idx, [idx.length], d, 'repeatInterleave'));
  });
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  repeatInterleave(this: Tensor, repeats: number | readonly number[], axis?: number): Tensor { return repeatInterleave(this, repeats, axis); },
};
