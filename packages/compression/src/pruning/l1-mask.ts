/**
 * The L1 (magnitude) mask: among the entries with `mask[i] = 1`, the `k` with the smallest
 * |score| are set to 0 (PyTorch's `L1Unstructured.compute_mask` on the unpruned slice, as its
 * `PruningContainer` does for an already pruned tensor). Entries already pruned stay pruned.
 *
 * Ties: PyTorch picks among equal magnitudes with `torch.topk`, whose order is unspecified;
 * here the lower flat index is pruned first, so the result is deterministic.
 */
export function l1Mask(scores: ArrayLike<number>, mask: ArrayLike<number>, k: number): Float32Array {
  const out = Float32Array.from(mask);
  if (k === 0) return out;
  const alive: number[] = [];
  for (let i = 0; i < out.length; i++) if (out[i] !== 0) alive.push(i);
  if (k > alive.length) throw new RangeError(`l1Mask: cannot prune ${k} entries, only ${alive.length} are unpruned`);
  // a stable sort by magnitude: ties keep index order
  alive.sort((a, b) => Math.abs(scores[a]!) - Math.abs(scores[b]!) || a - b);
  for (let j = 0; j < k; j++) out[alive[j]!] = 0;
  return out;
}

/** Number of nonzero (unpruned) entries of a mask. */
export function countUnpruned(mask: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] !== 0) n++;
  return n;
}
