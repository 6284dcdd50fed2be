import type { VectorEnv } from '../types.js';
import { makeVectorEnv } from '../vector/make-vector-env.js';

/** The vector env an agent makes from a registered id: a SyncVectorEnv of `makeEnv(id)`. */
export function vectorEnvFor(id: string, numEnvs: number, kwargs?: Record<string, unknown>): VectorEnv {
  return makeVectorEnv(id, numEnvs, kwargs);
}
