/**
 * The `{ low, high }` reset options of the classic-control envs (Gymnasium's
 * `maybe_parse_reset_bounds`), with defaults; checks `low ≤ high`.
 */
export function resetBounds(env: string, options: Record<string, unknown> | undefined, low: number, high: number): [number, number] {
  const lo = options?.['low'] === undefined ? low : Number(options['low']);
  const hi = options?.['high'] === undefined ? high : Number(options['high']);
  if (!(lo <= hi)) throw new Error(`${env}.reset: options.low (${lo}) must be ≤ options.high (${hi})`);
  return [lo, hi];
}
