import { fmtShape, normAxis } from '../shape.js';
import { isTensor, type Tensor } from '../tensor.js';
import { split } from './split.js';
import { toTensor, type TensorLike } from './tensor-factory.js';

/**
 * Splits `x` into `chunks` pieces along `axis` as `torch.chunk`: every piece has
 * `ceil(dim / chunks)` entries but the last, so fewer than `chunks` may come back.
 *
 * @example chunk(arange(5), 3).map((t) => t.shape) // [[2], [2], [1]]
 * @example chunk(arange(6), 4).map((t) => t.shape) // [[2], [2], [2]]
 */
export function chunk(x: TensorLike, chunks: number, axis = 0): Tensor[] {
  const t = toTensor(x);
  try {
    if (!Number.isInteger(chunks) || chunks < 1) {
      throw new RangeError(`chunk: chunks must be a positive integer, got ${chunks} (x ${fmtShape(t.shape)})`);
    }
    const a = normAxis(axis, t.rank, 'chunk');
    return split(t, Math.ceil(t.shape[a]! / chunks), a);
  } finally {
    if (!isTensor(x)) t.dispose();
  }
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  chunk(this: Tensor, chunks: number, axis?: number): Tensor[] { return chunk(this, chunks, axis); },
};
