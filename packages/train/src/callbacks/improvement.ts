/**
 * Whether `value` improves on `best` in `mode` by more than `minDelta`. A NaN or infinite
 * value is worse than any number — never an improvement, and never a first "best" — so a
 * diverged epoch cannot become the best one; `best` undefined means none seen yet.
 */
export function isImprovement(value: number, best: number | undefined, mode: 'min' | 'max', minDelta = 0): boolean {
  if (!Number.isFinite(value)) return false;
  if (best === undefined) return true;
  return mode === 'min' ? value < best - minDelta : value > best + minDelta;
}
