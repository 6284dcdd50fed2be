import type { Generator } from '@mapnn/core';

/**
 * Splits `total` draws over classes in proportion to `counts` as scikit-learn's
 * `_approximate_mode`: each class gets `floor(total · count / n)`, and the remaining draws go to
 * the classes with the largest remainders (ties broken at random), never above a class's count.
 */
export function approximateMode(counts: readonly number[], total: number, g: Generator): number[] {
  const n = counts.reduce((a, b) => a + b, 0);
  const cont = counts.map((c) => (c / n) * total); // same rounding as NumPy's class_counts / sum * n_draws
  const floored = cont.map(Math.floor);
  let need = total - floored.reduce((a, b) => a + b, 0);
  const rem = cont.map((v, i) => v - floored[i]!);
  const values = [...new Set(rem)].sort((a, b) => b - a);
  for (const v of values) {
    if (need <= 0) break;
    const inds = rem.map((r, i) => (r === v ? i : -1)).filter((i) => i >= 0);
    // random order among ties
    for (let i = inds.length - 1; i > 0; i--) {
      const j = g.nextBelow(i + 1);
      [inds[i], inds[j]] = [inds[j]!, inds[i]!];
    }
    const add = Math.min(need, inds.length);
    for (let t = 0; t < add; t++) floored[inds[t]!]!++;
    need -= add;
  }
  return floored;
}
