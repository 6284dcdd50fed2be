import type { VectorEnv } from '../types.js';

/**
 * When a vector env resets a sub-environment whose episode ended (Gymnasium's `AutoresetMode`):
 * - `'next-step'` (default): on the following `step`, which ignores that env's action and
 *   returns the reset observation with reward 0, both flags false and the reset info;
 * - `'same-step'`: within the same `step`, which returns the reset observation, the final one
 *   going into `infos.final_obs` and its info into `infos.final_info`;
 * - `'disabled'`: never; the caller resets it with `reset({ options: { reset_mask } })`.
 */
export type AutoresetMode = 'next-step' | 'same-step' | 'disabled';

export const AUTORESET_MODES: readonly AutoresetMode[] = ['next-step', 'same-step', 'disabled'];

/**
 * A vector env's autoreset mode, read from its `metadata.autoreset_mode` as Gymnasium's wrappers
 * do; `'next-step'` when it declares none.
 *
 * @example
 * autoresetModeOf(new SyncVectorEnv(fns, { autoresetMode: 'same-step' })); // 'same-step'
 */
export function autoresetModeOf(env: VectorEnv): AutoresetMode {
  const metadata = (env as { metadata?: Record<string, unknown> }).metadata;
  const mode = metadata?.['autoreset_mode'];
  if (mode === undefined) return 'next-step';
  if (!AUTORESET_MODES.includes(mode as AutoresetMode)) {
    throw new Error(`autoresetModeOf: metadata.autoreset_mode must be one of ${AUTORESET_MODES.join(', ')}, got ${String(mode)}`);
  }
  return mode as AutoresetMode;
}
