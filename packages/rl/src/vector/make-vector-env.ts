import { makeEnv } from '../envs/index.js';
import { SyncVectorEnv, type SyncVectorEnvOptions } from './sync-vector-env.js';

/**
 * `numEnvs` copies of a registered environment in a `SyncVectorEnv` (Gymnasium's
 * `make_vec(id, num_envs, vectorization_mode='sync')`), each made by `makeEnv(id, kwargs)`.
 *
 * @example
 * const envs = makeVectorEnv('CartPole-v1', 8);
 * envs.reset({ seed: 0 }).obs; // Float32Array(32)
 */
export function makeVectorEnv(id: string, numEnvs: number, kwargs: Record<string, unknown> = {}, options: SyncVectorEnvOptions = {}): SyncVectorEnv {
  if (!(Number.isInteger(numEnvs) && numEnvs > 0)) throw new Error(`makeVectorEnv('${id}'): numEnvs must be a positive integer, got ${numEnvs}`);
  return new SyncVectorEnv(Array.from({ length: numEnvs }, () => () => makeEnv(id, kwargs)), options);
}
