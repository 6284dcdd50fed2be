/**
 * Reads `options.reset_mask` of a vector env's `reset` (Gymnasium 1.x): which sub-envs to reset,
 * one entry per env (a `Uint8Array` or booleans), at least one set. Returns `null` when absent.
 *
 * @example
 * readResetMask({ reset_mask: Uint8Array.of(0, 1) }, 2, 'SyncVectorEnv'); // Uint8Array [0, 1]
 */
export function readResetMask(options: Record<string, unknown> | undefined, numEnvs: number, owner: string): Uint8Array | null {
  const raw = options?.['reset_mask'];
  if (raw === undefined) return null;
  if (!(raw instanceof Uint8Array || Array.isArray(raw))) {
    throw new Error(`${owner}.reset: options.reset_mask must be a Uint8Array or boolean[] of length ${numEnvs}, got ${typeof raw}`);
  }
  if (raw.length !== numEnvs) throw new Error(`${owner}.reset: options.reset_mask must have length ${numEnvs}, got ${raw.length}`);
  const mask = Uint8Array.from(raw as ArrayLike<unknown>, (v) => (v ? 1 : 0));
  if (!mask.includes(1)) throw new Error(`${owner}.reset: options.reset_mask must select at least one env, got all zeros`);
  return mask;
}

/** `options` without `reset_mask` (what the sub-envs are given), or `undefined` when nothing is left. */
export function withoutResetMask(options: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!options || !('reset_mask' in options)) return options;
  const { reset_mask: _mask, ...rest } = options;
  return Object.keys(rest).length ? rest : undefined;
}
