import { Generator } from '@mapnn/core';
import { Box } from '../spaces/box.js';
import type { Env, ResetOptions, ResetResult, StepResult } from '../types.js';
import { resetNumber } from './reset-bounds.js';

const MAX_SPEED = 8;
const MAX_TORQUE = 2;
const DT = 0.05;

function angleNormalize(x: number): number {
  // numpy's floored float modulo: fmod, then shifted into [0, 2π) (one rounding, as numpy)
  const twoPi = 2 * Math.PI;
  let r = (x + Math.PI) % twoPi;
  if (r !== 0 && r < 0) r += twoPi;
  return r - Math.PI;
}

/**
 * The inverted pendulum swing-up with Gymnasium 1.x's dynamics: torque in [−2, 2] (clipped),
 * cost `θ_n² + 0.1 θ̇² + 0.001 u²` (θ_n normalised to [−π, π)), `θ̇` clipped to ±8, dt 0.05.
 * `state` is `[θ, θ̇]`; observations `[cos θ, sin θ, θ̇]` in float32. Never terminates;
 * registered as `Pendulum-v1` with a 200-step limit.
 *
 * @example
 * const env = new PendulumEnv();
 * env.reset({ seed: 0 });
 * env.step(Float32Array.of(1)).reward; // ≤ 0
 */
export class PendulumEnv implements Env<Float32Array, Float32Array> {
  readonly observationSpace = new Box([-1, -1, -MAX_SPEED], [1, 1, MAX_SPEED]);
  readonly actionSpace = new Box(-MAX_TORQUE, MAX_TORQUE, [1]);
  readonly metadata = { render_fps: 30 };
  private th = 0;
  private thDot = 0;
  private rng = new Generator(0);

  constructor(readonly g = 10.0) {}

  get unwrapped(): Env {
    return this;
  }

  /** `[theta, theta_dot]`, as Gymnasium's `env.unwrapped.state`. */
  get state(): number[] {
    return [this.th, this.thDot];
  }

  set state(v: ArrayLike<number>) {
    if (v.length !== 2) throw new Error(`Pendulum: state has 2 values [theta, theta_dot], got ${v.length}`);
    this.th = v[0]!;
    this.thDot = v[1]!;
  }

  /** `θ` uniform in [−π, π] and `θ̇` in [−1, 1] (or `±options.x_init`, `±options.y_init`). */
  reset(options: ResetOptions = {}): ResetResult<Float32Array> {
    if (options.seed !== undefined) this.rng = new Generator(options.seed);
    const x = resetNumber('Pendulum', options.options, 'x_init', Math.PI);
    const y = resetNumber('Pendulum', options.options, 'y_init', 1.0);
    this.th = -x + 2 * x * this.rng.nextFloat();
    this.thDot = -y + 2 * y * this.rng.nextFloat();
    return { obs: this.obs(), info: {} };
  }

  step(action: Float32Array): StepResult<Float32Array> {
    const u = Math.fround(Math.min(MAX_TORQUE, Math.max(-MAX_TORQUE, action[0]!)));
    // u is float32 in Gymnasium, and numpy 2 keeps `0.001 * u**2` and `3.0 * u` in float32
    const costs = angleNormalize(this.th) ** 2 + 0.1 * this.thDot ** 2 + Math.fround(Math.fround(0.001) * Math.fround(u * u));
    let newThDot = this.thDot + (((3 * this.g) / 2) * Math.sin(this.th) + Math.fround(3 * u)) * DT;
    newThDot = Math.min(MAX_SPEED, Math.max(-MAX_SPEED, newThDot));
    this.th = this.th + newThDot * DT;
    this.thDot = newThDot;
    return { obs: this.obs(), reward: -costs, terminated: false, truncated: false, info: {} };
  }

  close(): void {}

  private obs(): Float32Array {
    return Float32Array.of(Math.cos(this.th), Math.sin(this.th), this.thDot);
  }
}
