import type { Env, SpaceValue, StepResult } from '../types.js';
import { Wrapper } from '../envs/wrapper.js';

/**
 * Applies `fn` to every reward (Gymnasium's `TransformReward`).
 *
 * @example
 * const env = new TransformReward(makeEnv('CartPole-v1'), (r) => 0.1 * r);
 */
export class TransformReward extends Wrapper {
  readonly fn: (reward: number) => number;

  constructor(env: Env, fn: (reward: number) => number) {
    super(env);
    if (typeof fn !== 'function') throw new Error('TransformReward: expected a function (reward) => number');
    this.fn = fn;
  }

  override step(action: SpaceValue): StepResult {
    const result = super.step(action);
    return { ...result, reward: this.fn(result.reward) };
  }
}
