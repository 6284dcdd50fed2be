import { indexSelect, isTensor, narrow, squeeze, tidy, type Tensor } from '@mapnn/core';
import { checkIndex, type Dataset } from './dataset.js';

/** The tensors of a `TensorDataset`: a tuple or a record (e.g. `{x, y}`), each with `n` rows. */
export type TensorGroup = readonly Tensor[] | { readonly [key: string]: Tensor };

/** The same structure with every tensor replaced by `Tensor` (keeps tuple and record keys). */
export type TensorSample<G extends TensorGroup> = { -readonly [K in keyof G]: Tensor };

/**
 * A dataset over tensors that share their first dimension (PyTorch's `TensorDataset`); sample
 * `i` is row `i` of every tensor, in the same structure (tuple or record).
 *
 * `get(i)` makes new row tensors; `getBatch(indices)` gathers whole batches with one
 * `indexSelect` per tensor, which the `DataLoader` uses by default. The dataset does not own
 * its tensors: dispose them yourself when done.
 *
 * @example
 * const ds = new TensorDataset({ x: tensor([[1, 2], [3, 4], [5, 6]]), y: tensor([0, 1, 0], [3], 'int32') });
 * ds.length;             // 3
 * ds.get(1).x;           // tensor [3, 4]
 * ds.getBatch([2, 0]).y; // tensor [0, 0]
 */
export class TensorDataset<G extends TensorGroup> implements Dataset<TensorSample<G>> {
  readonly tensors: G;
  readonly length: number;

  constructor(tensors: G) {
    const list = Object.values(tensors) as Tensor[];
    if (list.length === 0) throw new Error('TensorDataset: needs at least one tensor');
    for (const [k, t] of Object.entries(tensors)) {
      if (!isTensor(t)) throw new TypeError(`TensorDataset: '${k}' is not a tensor`);
      if (t.rank === 0) throw new Error(`TensorDataset: '${k}' is a scalar; every tensor needs a first (sample) dimension`);
    }
    const n = list[0]!.shape[0]!;
    for (const [k, t] of Object.entries(tensors)) {
      if (t.shape[0] !== n) {
        throw new Error(`TensorDataset: all tensors need the same first dimension; '${k}' has ${t.shape[0]}, expected ${n}`);
      }
    }
    this.tensors = tensors;
    this.length = n;
  }

  get(index: number): TensorSample<G> {
    checkIndex(index, this.length, 'TensorDataset.get');
    return this.map((t) => tidy(() => squeeze(narrow(t, 0, index, 1), 0)));
  }

  getBatch(indices: readonly number[]): TensorSample<G> {
    for (const i of indices) checkIndex(i, this.length, 'TensorDataset.getBatch');
    return this.map((t) => indexSelect(t, 0, indices as number[]));
  }

  private map(fn: (t: Tensor) => Tensor): TensorSample<G> {
    if (Array.isArray(this.tensors)) return (this.tensors as readonly Tensor[]).map(fn) as unknown as TensorSample<G>;
    const out: Record<string, Tensor> = {};
    for (const [k, t] of Object.entries(this.tensors)) out[k] = fn(t as Tensor);
    return out as TensorSample<G>;
  }
}
