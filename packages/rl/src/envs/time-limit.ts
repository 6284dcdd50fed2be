import type { Env, ResetOptions, ResetResult, SpaceValue, StepResult } from '../types.js';
import { Wrapper } from './wrapper.js';

/**
 * Truncates episodes after `maxEpisodeSteps` steps (Gymnasium's `TimeLimit`): the step that
 * reaches the limit returns `truncated: true`, and stepping on without `reset` is an error
 * naming the env.
 *
 * @example
 * const env = new TimeLimit(new PendulumEnv(), 200);
 * env.reset({ seed: 0 });
 * env.step(Float32Array.of(0)).truncated; // false (true on step 200)
 */
export class TimeLimit extends Wrapper {
  /** Steps since the last `reset` (Gymnasium's `_elapsed_steps`). */
  elapsedSteps = 0;

  constructor(env: Env, readonly maxEpisodeSteps: number, readonly id: string = env.spec?.id ?? env.constructor.name) {
    super(env);
    if (!(Number.isInteger(maxEpisodeSteps) && maxEpisodeSteps > 0)) throw new Error(`TimeLimit: maxEpisodeSteps must be a positive integer, got ${maxEpisodeSteps}`);
  }

  override reset(options?: ResetOptions): ResetResult {
    this.elapsedSteps = 0;
    return super.reset(options);
  }

  override step(action: SpaceValue): StepResult {
    if (this.elapsedSteps >= this.maxEpisodeSteps) {
      throw new Error(`${this.id}: step() called after the episode was truncated at its time limit (${this.maxEpisodeSteps} steps); call reset() first`);
    }
    const r = super.step(action);
    this.elapsedSteps++;
    return this.elapsedSteps >= this.maxEpisodeSteps ? { ...r, truncated: true } : r;
  }
}
