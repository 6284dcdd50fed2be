import { Box } from '../spaces/index.js';
import type { BoxSpace, Env, Space, SpaceValue, StepResult } from '../types.js';
import { Wrapper } from '../envs/wrapper.js';

/**
 * Clips Box actions into the wrapped env's `[low, high]` before stepping (Gymnasium's
 * `ClipAction`); its own action space is the unbounded Box of the same shape, so that any
 * real-valued action (e.g. a Gaussian policy's sample) is accepted.
 *
 * @example
 * const env = new ClipAction(makeEnv('Pendulum-v1'));
 * env.reset({ seed: 0 });
 * env.step(Float32Array.of(5)); // steps with torque 2
 */
export class ClipAction extends Wrapper {
  private readonly bounds: BoxSpace;
  private readonly unbounded: BoxSpace;

  constructor(env: Env) {
    super(env);
    if (env.actionSpace.kind !== 'box') throw new Error(`ClipAction: expected a Box action space, got ${env.actionSpace}`);
    this.bounds = env.actionSpace;
    this.unbounded = new Box(-Infinity, Infinity, env.actionSpace.shape, env.actionSpace.dtype);
  }

  override get actionSpace(): Space {
    return this.unbounded;
  }

  override step(action: SpaceValue): StepResult {
    return super.step(this.clip(action));
  }

  /** The action clipped into the bounds, as a fresh array of the space's dtype. */
  clip(action: SpaceValue): Float32Array | Float64Array {
    const { low, high } = this.bounds;
    if (typeof action === 'number' || action.length !== low.length) {
      throw new Error(`ClipAction: expected an action of ${low.length} values, got ${typeof action === 'number' ? 'a number' : action.length}`);
    }
    const out = this.bounds.dtype === 'float64' ? new Float64Array(low.length) : new Float32Array(low.length);
    for (let j = 0; j < out.length; j++) out[j] = Math.min(Math.max(action[j], low[j]), high[j]);
    return out;
  }
}
