import { fmtShape, normAxis } from '../shape.js';
import { isTensor, type Tensor } from '../tensor.js';
import { narrow } from './narrow.js';
import { toTensor, type TensorLike } from './tensor-factory.js';

/**
 * Splits `x` along `axis` (`torch.split`): a number is the size of every piece (the last may be
 * smaller); an array lists the piece sizes, which must add up to the dim. Each piece is a copy
 * with its own gradient (its slice of the input).
 *
 * @example split(arange(5), 2).map((t) => t.shape)       // [[2], [2], [1]]
 * @example split(zeros([2, 6]), [1, 2, 3], 1).map((t) => t.shape) // [[2,1], [2,2], [2,3]]
 */
export function split(x: TensorLike, sizeOrSections: number | readonly number[], axis = 0): Tensor[] {
  const t = toTensor(x);
  try {
    const a = normAxis(axis, t.rank, 'split');
    const d = t.shape[a]!;
    let sizes: number[];
    if (typeof sizeOrSections === 'number') {
      const s = sizeOrSections;
      if (!Number.isInteger(s) || s < 0 || (s === 0 && d > 0)) {
        throw new RangeError(`split: piece size ${s} must be a positive integer (x ${fmtShape(t.shape)}, axis ${a})`);
      }
      sizes = [];
      for (let off = 0; off < d; off += s) sizes.push(Math.min(s, d - off));
      if (sizes.length === 0) sizes.push(0);
    } else {
      if (!Array.isArray(sizeOrSections)) {
        throw new TypeError(`split: sizeOrSections must be a piece size or an array of sizes, got ${String(sizeOrSections)}`);
      }
      sizes = [...(sizeOrSections as readonly number[])];
      const total = sizes.reduce((p, q) => p + q, 0);
      if (sizes.some((s) => !Number.isInteger(s) || s < 0) || total !== d) {
        throw new RangeError(
          `split: sizes [${sizes}] must be non-negative integers adding up to ${d}, the size of axis ${a} of ${fmtShape(t.shape)}`,
        );
      }
    }
    let off = 0;
    return sizes.map((s) => {
      const piece = narrow(t, a, off, s);
      off += s;
      return piece;
    });
  } finally {
    if (!isTensor(x)) t.dispose();
  }
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  split(this: Tensor, sizeOrSections: number | readonly number[], axis?: number): Tensor[] { return split(this, sizeOrSections, axis); },
};
