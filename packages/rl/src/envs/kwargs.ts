/**
 * Checks an env factory's keyword arguments against the ones it takes (Gymnasium raises a
 * `TypeError` for an unexpected keyword); `render_mode` is accepted everywhere and ignored.
 *
 * @example checkKwargs('Pendulum-v1', { g: 9.81 }, ['g']); // passes
 */
export function checkKwargs(envId: string, kwargs: Record<string, unknown>, allowed: readonly string[]): void {
  for (const key of Object.keys(kwargs)) {
    if (key === 'render_mode' || allowed.includes(key)) continue;
    const known = allowed.length ? allowed.join(', ') : 'none';
    throw new Error(`${envId}: unexpected keyword argument '${key}' (it takes: ${known})`);
  }
}

/**
 * A numeric keyword argument, or `fallback` when absent; an error naming the env otherwise.
 *
 * @example numberKwarg('Pendulum-v1', { g: 9.81 }, 'g', 10) // 9.81
 */
export function numberKwarg(envId: string, kwargs: Record<string, unknown>, key: string, fallback: number): number {
  const v = kwargs[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${envId}: keyword argument '${key}' must be a finite number, got ${String(v)}`);
  return v;
}
