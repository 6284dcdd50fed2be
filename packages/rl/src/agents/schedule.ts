/**
 * A value moved linearly from `start` to `end` over the first `fraction` of training, then held
 * (Stable-Baselines3's `get_linear_fn`, used for DQN's ε and learning-rate decay).
 *
 * @example linearSchedule(1, 0.05, 0.1)(0.05) // 0.525
 */
export function linearSchedule(start: number, end: number, fraction: number): LinearSchedule {
  if (!(fraction > 0)) throw new Error(`linearSchedule: fraction must be positive, got ${fraction}`);
  const f = (progress: number) => (progress >= fraction ? end : start + (end - start) * (progress / fraction));
  // the parameters travel with the function so that checkpoints can save and rebuild it
  return Object.assign(f, { spec: { kind: 'linear' as const, start, end, fraction } });
}

/** What `linearSchedule` returns: the function and its parameters (`spec`, for checkpoints). */
export type LinearSchedule = ((progress: number) => number) & { spec: { kind: 'linear'; start: number; end: number; fraction: number } };

/** A number, or a function of training progress (0 at the start, 1 at the end). */
export type Schedule = number | ((progress: number) => number);

/** The value of a schedule at `progress` ∈ [0, 1]. */
export function scheduleValue(s: Schedule, progress: number): number {
  return typeof s === 'number' ? s : s(progress);
}
