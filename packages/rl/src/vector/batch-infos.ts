import type { Info } from '../types.js';

/** Whether `value` is a plain object (a nested info dict), not an array, typed array or class instance. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** The batch array a key's values go into: typed for numbers and booleans, a plain array otherwise. */
function emptyBatch(value: unknown, numEnvs: number): Float64Array | Uint8Array | unknown[] {
  if (typeof value === 'number') return new Float64Array(numEnvs);
  if (typeof value === 'boolean') return new Uint8Array(numEnvs);
  return new Array<unknown>(numEnvs).fill(undefined);
}

/** Puts one value into its batch array (booleans as 0/1). */
function assign(batch: unknown, index: number, value: unknown): void {
  if (batch instanceof Uint8Array) batch[index] = value ? 1 : 0;
  else (batch as unknown[])[index] = value;
}

/**
 * Adds sub-environment `index`'s `info` to the batched `infos` of a vector env, as Gymnasium's
 * `VectorEnv._add_info`: each key holds one entry per env (a `Float64Array` for numbers, a
 * `Uint8Array` for booleans, a plain array otherwise, zero / `undefined` where an env did not set
 * it) and `'_' + key` a `Uint8Array` mask of the envs that set it. Nested plain objects are
 * batched recursively; `final_obs` always goes into a plain array. Returns `infos` (mutated).
 *
 * @example
 * const infos = {};
 * addInfo(infos, { lives: 3 }, 1, 2); // { lives: Float64Array [0, 3], _lives: Uint8Array [0, 1] }
 */
export function addInfo(infos: Info, info: Info, index: number, numEnvs: number): Info {
  for (const [key, value] of Object.entries(info)) {
    let batch = infos[key];
    if (key !== 'final_obs' && isPlainObject(value)) {
      batch = addInfo(isPlainObject(batch) ? batch : {}, value, index, numEnvs);
    } else {
      if (batch === undefined) batch = key === 'final_obs' ? new Array<unknown>(numEnvs).fill(undefined) : emptyBatch(value, numEnvs);
      assign(batch, index, value);
    }
    const maskKey = `_${key}`;
    const mask = (infos[maskKey] as Uint8Array | undefined) ?? new Uint8Array(numEnvs);
    mask[index] = 1;
    infos[key] = batch;
    infos[maskKey] = mask;
  }
  return infos;
}
