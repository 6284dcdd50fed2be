import { withGrad } from '../autograd/node.js';
import { opScope } from '../memory/scope.js';
import { normAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { runKernel } from './kernel.js';
import { toTensor, type TensorLike } from './tensor-factory.js';

/**
 * Permutes dimensions (`perm[i]` is the input dim that becomes output dim i); without `perm`,
 * reverses them. Copies. Gradient: the inverse permutation.
 *
 * @example transpose(x, [0, 2, 1]).shape // for x [2,3,4] → [2,4,3]
 */
export function transpose(x: TensorLike, perm?: readonly number[]): Tensor {
  return opScope(() => {
    const t = toTensor(x);
    const p = perm ? perm.map((a) => normAxis(a, t.rank, 'transpose')) : t.shape.map((_, i) => t.rank - 1 - i);
    if (p.length !== t.rank || new Set(p).size !== p.length) {
      throw new Error(`transpose: perm [${perm?.join(',')}] is not a permutation of ${t.rank} dims`);
    }
    const out = runKernel('transpose', [t], { perm: p });
    const inv = new Array<number>(p.length);
    p.forEach((d, i) => (inv[d] = i));
    return withGrad('transpose', [t], out, (dy) => [transpose(dy, inv)]);
  });
}

/** Swaps two dims (PyTorch's `transpose(dim0, dim1)`). */
export function swapAxes(x: TensorLike, a: number, b: number): Tensor {
  const t = toTensor(x);
  const p = t.shape.map((_, i) => i);
  const i = normAxis(a, t.rank, 'swapAxes');
  const j = normAxis(b, t.rank, 'swapAxes');
  [p[i], p[j]] = [p[j]!, p[i]!];
  return transpose(t, p);
}

/** PyTorch's `permute`. */
export const permute = transpose;

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  transpose(this: Tensor, perm?: readonly number[]): Tensor { return transpose(this, perm); },
  permute(this: Tensor, perm: readonly number[]): Tensor { return transpose(this, perm); },
  swapAxes(this: Tensor, a: number, b: number): Tensor { return swapAxes(this, a, b); },
};
