import { Box } from '../spaces/index.js';
import type { BoxSpace, Env, ResetOptions, ResetResult, Space, SpaceValue, StepResult } from '../types.js';
import { Wrapper } from '../envs/wrapper.js';
import { RunningMeanStd, type RunningMeanStdState } from './running-mean-std.js';

export interface NormalizeObservationOptions {
  /** Added to the variance under the square root (default 1e-8); must be positive. */
  epsilon?: number;
}

/** The size of one observation, or an error naming what `NormalizeObservation` expected. */
function boxSize(space: Space): number {
  if (space.kind !== 'box') throw new Error(`NormalizeObservation: expected a Box observation space, got ${space}`);
  return space.shape.reduce((a, b) => a * b, 1);
}

/**
 * Normalizes observations to zero mean and unit variance with running statistics (Gymnasium's
 * `NormalizeObservation`): each observation first updates `obsRms` (unless
 * `updateRunningMean` is false, e.g. for evaluation), then comes back as the float32
 * `(obs − mean) / √(var + epsilon)`. The statistics are kept in float32 as Gymnasium does for
 * float32 observations, and can be saved and restored with `getState` / `setState`.
 *
 * @example
 * const env = new NormalizeObservation(makeEnv('CartPole-v1'));
 * env.reset({ seed: 0 });
 * env.step(1).obs; // normalized Float32Array(4)
 * const saved = env.getState();
 * env.updateRunningMean = false; // freeze for evaluation
 */
export class NormalizeObservation extends Wrapper {
  readonly epsilon: number;
  readonly obsRms: RunningMeanStd;
  /** Whether observations update `obsRms` (set false to freeze the statistics). */
  updateRunningMean = true;
  private readonly normalizedSpace: BoxSpace;

  constructor(env: Env, options: NormalizeObservationOptions = {}) {
    super(env);
    this.epsilon = options.epsilon ?? 1e-8;
    if (!(this.epsilon > 0)) throw new Error(`NormalizeObservation: epsilon must be positive, got ${this.epsilon}`);
    const inner = env.observationSpace;
    const size = boxSize(inner);
    this.normalizedSpace = new Box(-Infinity, Infinity, inner.shape, 'float32');
    this.obsRms = new RunningMeanStd({ size, dtype: inner.dtype === 'float64' ? 'float64' : 'float32' });
  }

  override get observationSpace(): Space {
    return this.normalizedSpace;
  }

  override reset(options?: ResetOptions): ResetResult {
    const result = super.reset(options);
    return { ...result, obs: this.normalize(result.obs) };
  }

  override step(action: SpaceValue): StepResult {
    const result = super.step(action);
    return { ...result, obs: this.normalize(result.obs) };
  }

  /** Updates the statistics (unless frozen) and normalizes one observation. */
  normalize(obs: SpaceValue): Float32Array {
    if (typeof obs === 'number' || obs.length !== this.obsRms.size) {
      throw new Error(`NormalizeObservation: expected an observation of ${this.obsRms.size} values, got ${typeof obs === 'number' ? 'a number' : obs.length}`);
    }
    if (this.updateRunningMean) this.obsRms.update(obs, 1);
    const f = this.obsRms.dtype === 'float32' ? Math.fround : (x: number) => x;
    const eps = f(this.epsilon);
    const out = new Float32Array(obs.length);
    for (let j = 0; j < obs.length; j++) out[j] = f(obs[j] - this.obsRms.mean[j]) / f(Math.sqrt(f(this.obsRms.var[j] + eps)));
    return out;
  }

  /** The running statistics, ready for JSON (for checkpoints). */
  getState(): RunningMeanStdState {
    return this.obsRms.getState();
  }

  /** Restores statistics saved by `getState`. */
  setState(state: RunningMeanStdState): void {
    this.obsRms.setState(state);
  }
}
