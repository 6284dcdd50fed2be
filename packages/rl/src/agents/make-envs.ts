import type { VectorEnv } from '../types.js';

/** The vector env an agent makes from a registered id (SyncVectorEnv of `makeEnv(id)`). */
export function vectorEnvFor(id: string, numEnvs: number, kwargs?: Record<string, unknown>): VectorEnv {
  throw new Error(`agents: making '${id}' × ${numEnvs} by id needs the vector envs (${JSON.stringify(kwargs ?? {})}); pass a VectorEnv`);
}
