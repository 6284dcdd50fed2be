import { opScope } from '../memory/scope.js';
import { normAxis } from '../shape.js';
import { isTensor, type Tensor } from '../tensor.js';
import { narrow } from './narrow.js';
import { reshape } from './reshape.js';
import { toTensor, type TensorLike } from './tensor-factory.js';

/**
 * Splits `x` into its `shape[axis]` slices along `axis`, each without that dim
 * (`torch.unbind`). Gradient: each slice's `dy` goes back to its place.
 *
 * @example unbind(tensor([[1, 2], [3, 4]]), 1) // [[1, 3], [2, 4]]
 */
export function unbind(x: TensorLike, axis = 0): Tensor[] {
  const t = toTensor(x);
  try {
    const a = normAxis(axis, t.rank, 'unbind');
    const shape = t.shape.filter((_, i) => i !== a);
    return Array.from({ length: t.shape[a]! }, (_, i) => opScope(() => reshape(narrow(t, a, i, 1), shape)));
  } finally {
    if (!isTensor(x)) t.dispose();
  }
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  unbind(this: Tensor, axis?: number): Tensor[] { return unbind(this, axis); },
};
