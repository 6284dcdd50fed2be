import type { Env, EnvSpec, ResetOptions, ResetResult, Space, SpaceValue, StepResult } from '../types.js';

/**
 * The base of every wrapper (Gymnasium's `Wrapper`): forwards spaces, spec, `reset`, `step`,
 * `close`, and `unwrapped` (the innermost env). Subclasses override what they change.
 *
 * @example
 * class Doubled extends Wrapper { override step(a) { const r = super.step(a); return { ...r, reward: 2 * r.reward }; } }
 */
export class Wrapper implements Env {
  constructor(readonly env: Env) {}

  get observationSpace(): Space {
    return this.env.observationSpace;
  }

  get actionSpace(): Space {
    return this.env.actionSpace;
  }

  get spec(): EnvSpec | undefined {
    return this.env.spec;
  }

  get unwrapped(): Env {
    return this.env.unwrapped;
  }

  get metadata(): Record<string, unknown> | undefined {
    return this.env.metadata;
  }

  reset(options?: ResetOptions): ResetResult {
    return this.env.reset(options);
  }

  step(action: SpaceValue): StepResult {
    return this.env.step(action);
  }

  close(): void {
    this.env.close();
  }
}
