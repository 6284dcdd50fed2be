import { Box } from '../spaces/index.js';
import type { BoxSpace, Env, ResetOptions, ResetResult, Space, SpaceValue, StepResult } from '../types.js';
import { Wrapper } from '../envs/wrapper.js';

/** How `FrameStackObservation` fills the stack after a reset. */
export type FrameStackPadding = 'reset' | 'zero' | Float32Array | Float64Array;

export interface FrameStackObservationOptions {
  /**
   * `'reset'` (default, as Gymnasium): copies of the reset observation; `'zero'`: zeros (moved
   * into the space's bounds where 0 is outside them); or a given observation.
   */
  padding?: FrameStackPadding;
}

/** Gymnasium's `create_zero_array` for a Box: 0, or the nearest bound where 0 is outside. */
function zeroObservation(space: BoxSpace): Float32Array | Float64Array {
  const out = space.dtype === 'float64' ? new Float64Array(space.low.length) : new Float32Array(space.low.length);
  for (let j = 0; j < out.length; j++) out[j] = space.low[j] > 0 ? space.low[j] : space.high[j] < 0 ? space.high[j] : 0;
  return out;
}

/** `count` copies of `values` one after the other. */
function tile(values: ArrayLike<number>, count: number): number[] {
  const out: number[] = [];
  for (let k = 0; k < count; k++) for (let j = 0; j < values.length; j++) out.push(values[j]);
  return out;
}

/**
 * Stacks the last `stackSize` observations (Gymnasium 1.x's `FrameStackObservation`): the
 * observation is `stackSize × observation size` values, oldest first, in a Box of shape
 * `[stackSize, ...shape]`. After a reset the stack holds `stackSize − 1` padding observations and
 * then the reset observation.
 *
 * @example
 * const env = new FrameStackObservation(makeEnv('CartPole-v1'), 4);
 * env.reset({ seed: 0 }).obs; // Float32Array(16): the reset observation 4 times
 * env.step(0).obs; // the reset observation 3 times, then the new one
 */
export class FrameStackObservation extends Wrapper {
  readonly stackSize: number;
  readonly padding: 'reset' | 'zero' | 'custom';
  private paddingValue: Float32Array | Float64Array;
  private readonly stackedSpace: BoxSpace;
  private readonly frameSize: number;
  private frames: (Float32Array | Float64Array)[] = [];

  constructor(env: Env, stackSize: number, options: FrameStackObservationOptions = {}) {
    super(env);
    if (!(Number.isInteger(stackSize) && stackSize > 0)) throw new Error(`FrameStackObservation: stackSize must be a positive integer, got ${stackSize}`);
    const space = env.observationSpace;
    if (space.kind !== 'box') throw new Error(`FrameStackObservation: expected a Box observation space, got ${space}`);
    this.stackSize = stackSize;
    this.frameSize = space.low.length;
    const padding = options.padding ?? 'reset';
    if (padding === 'reset' || padding === 'zero') {
      this.padding = padding;
      this.paddingValue = zeroObservation(space);
    } else if (padding instanceof Float32Array || padding instanceof Float64Array) {
      if (!space.contains(padding)) throw new Error(`FrameStackObservation: the padding observation is not in the observation space ${space}`);
      this.padding = 'custom';
      this.paddingValue = padding.slice();
    } else {
      throw new Error(`FrameStackObservation: padding must be 'reset', 'zero' or an observation of ${space}, got ${String(padding)}`);
    }
    this.stackedSpace = new Box(tile(space.low, stackSize), tile(space.high, stackSize), [stackSize, ...space.shape], space.dtype);
  }

  override get observationSpace(): Space {
    return this.stackedSpace;
  }

  override reset(options?: ResetOptions): ResetResult {
    const result = super.reset(options);
    const obs = this.frame(result.obs);
    if (this.padding === 'reset') this.paddingValue = obs;
    this.frames = [...new Array<Float32Array | Float64Array>(this.stackSize - 1).fill(this.paddingValue), obs];
    return { ...result, obs: this.stacked() };
  }

  override step(action: SpaceValue): StepResult {
    if (this.frames.length === 0) throw new Error('FrameStackObservation.step: call reset() before step()');
    const result = super.step(action);
    this.frames.push(this.frame(result.obs));
    this.frames.shift();
    return { ...result, obs: this.stacked() };
  }

  /** A private copy of one observation, checked for size. */
  private frame(obs: SpaceValue): Float32Array | Float64Array {
    if (typeof obs === 'number' || obs.length !== this.frameSize) {
      throw new Error(`FrameStackObservation: expected an observation of ${this.frameSize} values, got ${typeof obs === 'number' ? 'a number' : obs.length}`);
    }
    return this.stackedSpace.dtype === 'float64' ? Float64Array.from(obs) : Float32Array.from(obs);
  }

  /** The frames one after the other, oldest first (a fresh array). */
  private stacked(): Float32Array | Float64Array {
    const out = this.stackedSpace.dtype === 'float64' ? new Float64Array(this.stackSize * this.frameSize) : new Float32Array(this.stackSize * this.frameSize);
    this.frames.forEach((f, k) => out.set(f, k * this.frameSize));
    return out;
  }
}
