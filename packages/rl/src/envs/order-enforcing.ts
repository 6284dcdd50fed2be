import { checkAction } from '../spaces/check-action.js';
import type { Env, ResetOptions, ResetResult, SpaceValue, StepResult } from '../types.js';
import { Wrapper } from './wrapper.js';

/** Options of `OrderEnforcing`. */
export interface OrderEnforcingOptions {
  /** Reject actions outside the action space (default true; `makeEnv`'s `disableEnvChecker` turns it off). */
  checkActions?: boolean;
}

/**
 * Clear errors for misuse (Gymnasium's `OrderEnforcing`, plus the env checker's action check):
 * `step` before `reset`, `step` after the episode terminated, and actions outside the action
 * space. (Stepping after a time-limit truncation is `TimeLimit`'s error, which sits outside.)
 *
 * @example
 * const env = new OrderEnforcing(new CartPoleEnv(), 'CartPole-v1');
 * env.step(0); // throws 'CartPole-v1: step() called before reset()'
 */
export class OrderEnforcing extends Wrapper {
  private phase: 'new' | 'running' | 'ended' = 'new';
  private readonly checkActions: boolean;

  constructor(env: Env, readonly id: string = env.spec?.id ?? env.constructor.name, options: OrderEnforcingOptions = {}) {
    super(env);
    this.checkActions = options.checkActions ?? true;
  }

  /** Whether `reset` has been called (Gymnasium's `has_reset`). */
  get hasReset(): boolean {
    return this.phase !== 'new';
  }

  override reset(options?: ResetOptions): ResetResult {
    const r = super.reset(options);
    this.phase = 'running';
    return r;
  }

  override step(action: SpaceValue): StepResult {
    if (this.phase === 'new') throw new Error(`${this.id}: step() called before reset()`);
    if (this.phase === 'ended') throw new Error(`${this.id}: step() called after the episode ended (terminated); call reset() first`);
    if (this.checkActions) checkAction(this.actionSpace, action, this.id);
    const r = super.step(action);
    if (r.terminated) this.phase = 'ended';
    return r;
  }
}
