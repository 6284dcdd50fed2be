import type { Space, VectorEnv, VectorResetResult, VectorStepResult } from '../types.js';
import type { VectorResetOptions } from './sync-vector-env.js';

/**
 * The base of vector-env wrappers (Gymnasium's `VectorWrapper`): forwards everything to the
 * wrapped `env`; subclasses override `reset` / `step`. `metadata` is the wrapped env's, so that
 * `autoreset_mode` reaches the wrappers above.
 *
 * @example
 * class CountSteps extends VectorWrapper {
 *   steps = 0;
 *   override step(actions: ArrayLike<number>) { this.steps++; return super.step(actions); }
 * }
 */
export class VectorWrapper implements VectorEnv {
  readonly env: VectorEnv;

  constructor(env: VectorEnv) {
    if (!env || typeof env.step !== 'function' || typeof env.reset !== 'function') {
      throw new Error(`${new.target.name}: expected a VectorEnv to wrap, got ${String(env)}`);
    }
    this.env = env;
  }

  get numEnvs(): number {
    return this.env.numEnvs;
  }

  get singleObservationSpace(): Space {
    return this.env.singleObservationSpace;
  }

  get singleActionSpace(): Space {
    return this.env.singleActionSpace;
  }

  get metadata(): Record<string, unknown> {
    return (this.env as { metadata?: Record<string, unknown> }).metadata ?? {};
  }

  /** The innermost vector env, under every vector wrapper. */
  get unwrapped(): VectorEnv {
    return this.env instanceof VectorWrapper ? this.env.unwrapped : this.env;
  }

  reset(options?: VectorResetOptions): VectorResetResult {
    return this.env.reset(options as Parameters<VectorEnv['reset']>[0]);
  }

  step(actions: ArrayLike<number>): VectorStepResult {
    return this.env.step(actions);
  }

  close(): void {
    this.env.close();
  }
}
