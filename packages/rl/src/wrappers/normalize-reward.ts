import type { Env, SpaceValue, StepResult } from '../types.js';
import { Wrapper } from '../envs/wrapper.js';
import { RunningMeanStd, type RunningMeanStdState } from './running-mean-std.js';

export interface NormalizeRewardOptions {
  /** Discount of the return accumulator, in [0, 1] (default 0.99). */
  gamma?: number;
  /** Added to the variance under the square root (default 1e-8); must be positive. */
  epsilon?: number;
}

/** What `NormalizeReward.getState` returns. */
export interface NormalizeRewardState {
  returnRms: RunningMeanStdState;
  discountedReward: number;
}

/**
 * Scales rewards so that their discounted sum has roughly unit variance (Gymnasium 1.x's
 * `NormalizeReward`): a discounted accumulator `G ← γ·G·(1 − terminated) + r` updates the running
 * statistics `returnRms` on every step (unless `updateRunningMean` is false), and the reward comes
 * back as `r / √(var + epsilon)` (not centred). As in Gymnasium, the terminating step's own flag
 * drops the decayed accumulator (there `G = r`); neither truncation nor `reset` touches it.
 *
 * @example
 * const env = new NormalizeReward(makeEnv('Pendulum-v1'), { gamma: 0.99 });
 * env.reset({ seed: 0 });
 * env.step(Float32Array.of(0)).reward; // the scaled reward
 */
export class NormalizeReward extends Wrapper {
  readonly gamma: number;
  readonly epsilon: number;
  readonly returnRms = new RunningMeanStd();
  /** The discounted return accumulator. */
  discountedReward = 0;
  /** Whether steps update `returnRms` (set false to freeze the statistics). */
  updateRunningMean = true;

  constructor(env: Env, options: NormalizeRewardOptions = {}) {
    super(env);
    this.gamma = options.gamma ?? 0.99;
    this.epsilon = options.epsilon ?? 1e-8;
    if (!(this.gamma >= 0 && this.gamma <= 1)) throw new Error(`NormalizeReward: gamma must be in [0, 1], got ${this.gamma}`);
    if (!(this.epsilon > 0)) throw new Error(`NormalizeReward: epsilon must be positive, got ${this.epsilon}`);
  }

  override step(action: SpaceValue): StepResult {
    const result = super.step(action);
    this.discountedReward = this.discountedReward * this.gamma * (result.terminated ? 0 : 1) + result.reward;
    if (this.updateRunningMean) this.returnRms.update([this.discountedReward], 1);
    return { ...result, reward: result.reward / Math.sqrt(this.returnRms.var[0] + this.epsilon) };
  }

  /** The statistics and the accumulator, ready for JSON (for checkpoints). */
  getState(): NormalizeRewardState {
    return { returnRms: this.returnRms.getState(), discountedReward: this.discountedReward };
  }

  /** Restores a state saved by `getState`. */
  setState(state: NormalizeRewardState): void {
    this.returnRms.setState(state.returnRms);
    this.discountedReward = state.discountedReward;
  }
}
