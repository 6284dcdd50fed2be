/**
 * Which classes a resampler changes and to how many samples (imbalanced-learn's
 * `sampling_strategy`):
 * - `'auto'`: over-sampling → every class but the majority; under-sampling → every class but
 *   the minority;
 * - `'not majority'`, `'not minority'`, `'minority'`, `'majority'`, `'all'`;
 * - a record `{class: targetCount}`.
 */
export type SamplingStrategy = 'auto' | 'minority' | 'majority' | 'not minority' | 'not majority' | 'all' | Readonly<Record<number, number>>;

/** Target sample count per class for over- (`'over'`) or under-sampling (`'under'`). */
export function targetCounts(counts: Map<number, number>, strategy: SamplingStrategy, kind: 'over' | 'under', op: string): Map<number, number> {
  const values = [...counts.values()];
  const max = Math.max(...values);
  const min = Math.min(...values);
  const out = new Map(counts);
  if (typeof strategy === 'object') {
    for (const [k, v] of Object.entries(strategy)) {
      const c = Number(k);
      const have = counts.get(c);
      if (have === undefined) throw new Error(`${op}: class ${c} in the sampling strategy has no samples`);
      if (!Number.isInteger(v) || v < 0) throw new Error(`${op}: target count for class ${c} must be a non-negative integer, got ${v}`);
      if (kind === 'over' && v < have) throw new Error(`${op}: class ${c} has ${have} samples; over-sampling cannot reduce it to ${v}`);
      if (kind === 'under' && v > have) throw new Error(`${op}: class ${c} has ${have} samples; under-sampling cannot raise it to ${v}`);
      out.set(c, v);
    }
    return out;
  }
  const s = strategy === 'auto' ? (kind === 'over' ? 'not majority' : 'not minority') : strategy;
  const target = kind === 'over' ? max : min;
  for (const [c, n] of counts) {
    const pick =
      s === 'all' ||
      (s === 'minority' && n === min) ||
      (s === 'majority' && n === max) ||
      (s === 'not minority' && n !== min) ||
      (s === 'not majority' && n !== max);
    if (pick) out.set(c, kind === 'over' ? Math.max(n, target) : Math.min(n, target));
  }
  return out;
}
