/**
 * The `{ low, high }` reset options of the classic-control envs (Gymnasium's
 * `maybe_parse_reset_bounds`), with defaults; checks that they are numbers and `low ≤ high`.
 *
 * @example resetBounds('CartPole', { low: -0.1 }, -0.05, 0.05) // [-0.1, 0.05]
 */
export function resetBounds(env: string, options: Record<string, unknown> | undefined, low: number, high: number): [number, number] {
  const lo = resetNumber(env, options, 'low', low);
  const hi = resetNumber(env, options, 'high', high);
  if (!(lo <= hi)) throw new Error(`${env}.reset: options.low (${lo}) must be ≤ options.high (${hi})`);
  return [lo, hi];
}

/**
 * One numeric reset option (Gymnasium's `verify_number_and_cast`), or `fallback` when absent.
 *
 * @example resetNumber('Pendulum', { x_init: 1 }, 'x_init', Math.PI) // 1
 */
export function resetNumber(env: string, options: Record<string, unknown> | undefined, key: string, fallback: number): number {
  const v = options?.[key];
  if (v === undefined) return fallback;
  const x = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (Number.isNaN(x)) throw new Error(`${env}.reset: options.${key} (${String(v)}) is not a number`);
  return x;
}
