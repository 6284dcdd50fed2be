import { indexSelect, isTensor, type Tensor } from '@mapnn/core';

/** Tensors that share their first (sample) dimension: one tensor, a tuple or a record such as `{x, y}`. */
export type RowGroup = Tensor | readonly Tensor[] | { readonly [key: string]: Tensor };

/** The same structure as `G` with new tensors. */
export type SameGroup<G extends RowGroup> = G extends Tensor ? Tensor : { -readonly [K in keyof G]: Tensor };

/** The number of rows of a group, checking that every tensor has the same first dimension. */
export function groupRows(group: RowGroup, op: string): number {
  const entries: [string, Tensor][] = isTensor(group) ? [['data', group as Tensor]] : Object.entries(group as Record<string, Tensor>);
  if (entries.length === 0) throw new Error(`${op}: no tensors given`);
  let n = -1;
  for (const [k, t] of entries) {
    if (!isTensor(t)) throw new TypeError(`${op}: '${k}' is not a tensor`);
    if (t.rank === 0) throw new Error(`${op}: '${k}' is a scalar; tensors need a first (sample) dimension`);
    if (n >= 0 && t.shape[0] !== n) throw new Error(`${op}: '${k}' has ${t.shape[0]} rows, expected ${n} like the others`);
    n = t.shape[0]!;
  }
  return n;
}

/**
 * The rows `indices` of every tensor in `group`, in the same structure.
 *
 * @example takeRows({ x, y }, [3, 1]) // { x: rows 3 and 1 of x, y: labels 3 and 1 }
 */
export function takeRows<G extends RowGroup>(group: G, indices: ArrayLike<number>): SameGroup<G> {
  const idx = Int32Array.from(indices);
  if (isTensor(group)) return indexSelect(group as Tensor, 0, idx) as SameGroup<G>;
  if (Array.isArray(group)) return (group as readonly Tensor[]).map((t) => indexSelect(t, 0, idx)) as unknown as SameGroup<G>;
  const out: Record<string, Tensor> = {};
  for (const [k, t] of Object.entries(group as Record<string, Tensor>)) out[k] = indexSelect(t, 0, idx);
  return out as SameGroup<G>;
}
