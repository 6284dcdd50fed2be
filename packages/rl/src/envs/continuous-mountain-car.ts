import { Generator } from '@mapnn/core';
import { Box } from '../spaces/box.js';
import type { Env, ResetOptions, ResetResult, StepResult } from '../types.js';
import { arith, compare, py, type Scalar, type ScalarKind } from './numpy-scalar.js';
import { resetBounds } from './reset-bounds.js';

const MIN_POSITION = -1.2;
const MAX_POSITION = 0.6;
const MAX_SPEED = 0.07;
const GOAL_POSITION = 0.45;
const POWER = 0.0015;
const f32 = Math.fround;

/**
 * Mountain Car with a continuous force in [−1, 1] (clipped), Gymnasium 1.x's dynamics: power
 * 0.0015, goal at `x ≥ 0.45` (reward +100 on reaching it), cost `0.1 a²` per step.
 * `state` is `[position, velocity]`: float64 after `reset` (or the setter), float32 after a
 * step — Gymnasium stores the stepped state as float32 and computes in float32 from then on,
 * which this mirrors. Observations are float32. Registered as `MountainCarContinuous-v0`
 * (999 steps, threshold 90).
 *
 * @example
 * const env = new ContinuousMountainCarEnv();
 * env.reset({ seed: 0 });
 * env.step(Float32Array.of(1)).reward; // -0.1
 */
export class ContinuousMountainCarEnv implements Env<Float32Array, Float32Array> {
  readonly observationSpace = new Box([MIN_POSITION, -MAX_SPEED], [MAX_POSITION, MAX_SPEED]);
  readonly actionSpace = new Box(-1, 1, [1]);
  readonly metadata = { render_fps: 30 };
  private position = 0;
  private velocity = 0;
  /** Whether the state is a float32 array (after a step), as in Gymnasium. */
  private float32State = false;
  private rng = new Generator(0);

  constructor(readonly goalVelocity = 0) {}

  get unwrapped(): Env {
    return this;
  }

  /** `[position, velocity]`, as Gymnasium's `env.unwrapped.state`. */
  get state(): number[] {
    return [this.position, this.velocity];
  }

  /** Sets the state; a `Float32Array` is taken as a float32 state (as Gymnasium's after a step), anything else as float64. */
  set state(v: ArrayLike<number>) {
    if (v.length !== 2) throw new Error(`MountainCarContinuous: state has 2 values [position, velocity], got ${v.length}`);
    this.position = v[0]!;
    this.velocity = v[1]!;
    this.float32State = v instanceof Float32Array;
  }

  /** Position uniform in [−0.6, −0.4] (or `options.low/high`), velocity 0, in float64. */
  reset(options: ResetOptions = {}): ResetResult<Float32Array> {
    if (options.seed !== undefined) this.rng = new Generator(options.seed);
    const [low, high] = resetBounds('MountainCarContinuous', options.options, -0.6, -0.4);
    this.position = low + (high - low) * this.rng.nextFloat();
    this.velocity = 0;
    this.float32State = false;
    return { obs: this.obs(), info: {} };
  }

  step(action: Float32Array): StepResult<Float32Array> {
    // Replays Gymnasium's scalar code with numpy's types: the state's elements are np.float64
    // after reset and np.float32 after a step, the action's element np.float32, constants
    // Python floats (see numpy-scalar.ts).
    const kind: ScalarKind = this.float32State ? 'f32' : 'f64';
    let position: Scalar = { x: this.position, kind };
    let velocity: Scalar = { x: this.velocity, kind };
    const a: Scalar = { x: f32(action[0]!), kind: 'f32' };
    // Python's min(max(a, -1.0), 1.0): each keeps its first argument unless the second wins
    const lowered = compare('>', py(-1.0), a) ? py(-1.0) : a;
    const force = compare('<', py(1.0), lowered) ? py(1.0) : lowered;
    const gravity = py(0.0025 * Math.cos(arith('*', py(3), position).x));
    velocity = arith('+', velocity, arith('-', arith('*', force, py(POWER)), gravity));
    if (compare('>', velocity, py(MAX_SPEED))) velocity = py(MAX_SPEED);
    if (compare('<', velocity, py(-MAX_SPEED))) velocity = py(-MAX_SPEED);
    position = arith('+', position, velocity);
    if (compare('>', position, py(MAX_POSITION))) position = py(MAX_POSITION);
    if (compare('<', position, py(MIN_POSITION))) position = py(MIN_POSITION);
    if (compare('==', position, py(MIN_POSITION)) && compare('<', velocity, py(0))) velocity = py(0);
    const terminated = compare('>=', position, py(GOAL_POSITION)) && compare('>=', velocity, py(this.goalVelocity));
    let reward = terminated ? 100.0 : 0;
    reward -= a.x ** 2 * 0.1;
    this.position = f32(position.x);
    this.velocity = f32(velocity.x);
    this.float32State = true;
    return { obs: this.obs(), reward, terminated, truncated: false, info: {} };
  }

  close(): void {}

  private obs(): Float32Array {
    return Float32Array.of(this.position, this.velocity);
  }
}
