import type { Env, ResetOptions, ResetResult, SpaceValue, StepResult } from '../types.js';
import { Wrapper } from './wrapper.js';

/**
 * Truncates episodes after `maxEpisodeSteps` steps (Gymnasium's `TimeLimit`): the step that
 * reaches the limit returns `truncated: true`.
 *
 * @example const env = new TimeLimit(new CartPoleEnv(), 500);
 */
export class TimeLimit extends Wrapper {
  elapsedSteps = 0;

  constructor(env: Env, readonly maxEpisodeSteps: number) {
    super(env);
    if (!(Number.isInteger(maxEpisodeSteps) && maxEpisodeSteps > 0)) throw new Error(`TimeLimit: maxEpisodeSteps must be a positive integer, got ${maxEpisodeSteps}`);
  }

  override reset(options?: ResetOptions): ResetResult {
    this.elapsedSteps = 0;
    return super.reset(options);
  }

  override step(action: SpaceValue): StepResult {
    const r = super.step(action);
    this.elapsedSteps++;
    return this.elapsedSteps >= this.maxEpisodeSteps ? { ...r, truncated: true } : r;
  }
}
