import type { Env, ResetOptions, ResetResult, SpaceValue, StepResult } from '../types.js';
import { Wrapper } from './wrapper.js';

/**
 * Clear errors for misuse (Gymnasium's `OrderEnforcing` and env checker): `step` before `reset`,
 * `step` after the episode ended, and actions outside the action space.
 *
 * @example new OrderEnforcing(new CartPoleEnv(), 'CartPole-v1').step(0) // throws: step() called before reset()
 */
export class OrderEnforcing extends Wrapper {
  private state: 'new' | 'running' | 'ended' = 'new';

  constructor(env: Env, readonly id = env.spec?.id ?? env.constructor.name) {
    super(env);
  }

  override reset(options?: ResetOptions): ResetResult {
    const r = super.reset(options);
    this.state = 'running';
    return r;
  }

  override step(action: SpaceValue): StepResult {
    if (this.state === 'new') throw new Error(`${this.id}: step() called before reset()`);
    if (this.state === 'ended') throw new Error(`${this.id}: step() called after the episode ended (terminated or truncated); call reset() first`);
    if (!this.actionSpace.contains(action)) {
      const shown = typeof action === 'number' ? String(action) : `[${Array.from(action as ArrayLike<number>).join(', ')}]`;
      throw new Error(`${this.id}: action ${shown} is not in the action space ${this.actionSpace.toString()}`);
    }
    const r = super.step(action);
    if (r.terminated || r.truncated) this.state = 'ended';
    return r;
  }
}
