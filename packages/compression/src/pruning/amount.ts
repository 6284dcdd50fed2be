/**
 * How much to prune: a fraction of the entries still unpruned (`amount` in [0, 1)) or an exact
 * number of them (`count`), as `torch.nn.utils.prune`'s float / int `amount`.
 */
export interface PruneAmount {
  /** Fraction of the currently unpruned entries to prune, in [0, 1). */
  amount?: number;
  /** Exact number of currently unpruned entries to prune (a non-negative integer). */
  count?: number;
}

/** Python's `round`: halves go to the even neighbour (round(2.5) = 2), as PyTorch's pruning counts. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Checks a sparsity level (a fraction in [0, 1)); `what` names the caller and the option. */
export function checkSparsity(value: number, what: string): void {
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) {
    throw new RangeError(`${what} must be a fraction in [0, 1), got ${String(value)}`);
  }
}

/**
 * The number of entries to prune out of `unpruned` remaining ones: `count` as given, or
 * round-half-even(`amount` · unpruned) as PyTorch's `_compute_nparams_toprune`.
 */
export function entriesToPrune(spec: PruneAmount, unpruned: number, fn: string): number {
  const { amount, count } = spec;
  if ((amount === undefined) === (count === undefined)) {
    throw new TypeError(`${fn}: give exactly one of 'amount' (a fraction in [0, 1)) or 'count' (an integer), got ${JSON.stringify(spec)}`);
  }
  if (count !== undefined) {
    if (!Number.isInteger(count) || count < 0) throw new RangeError(`${fn}: count must be a non-negative integer, got ${count}`);
    if (count > unpruned) throw new RangeError(`${fn}: count=${count} exceeds the ${unpruned} entries still unpruned`);
    return count;
  }
  checkSparsity(amount!, `${fn}: amount`);
  return roundHalfEven(amount! * unpruned);
}
