import { Generator } from '@mapnn/core';
import { Box } from '../spaces/box.js';
import { Discrete } from '../spaces/discrete.js';
import type { Env, ResetOptions, ResetResult, StepResult } from '../types.js';
import { resetBounds } from './reset-bounds.js';

const MIN_POSITION = -1.2;
const MAX_POSITION = 0.6;
const MAX_SPEED = 0.07;
const GOAL_POSITION = 0.5;
const FORCE = 0.001;
const GRAVITY = 0.0025;

/**
 * Mountain Car (Moore 1990) with Gymnasium 1.x's dynamics: actions push left / nothing / right
 * (force 0.001), gravity `−0.0025 cos 3x`, velocity clipped to ±0.07, position to
 * [−1.2, 0.6] (velocity zeroed at the left wall), reward −1 per step, termination at
 * `x ≥ 0.5` with `v ≥ goal_velocity`. `state` is `[position, velocity]` in float64;
 * observations its float32 cast. Registered as `MountainCar-v0` (200 steps, threshold −110).
 *
 * @example
 * const env = new MountainCarEnv();
 * env.reset({ seed: 0 }).obs; // Float32Array [x ∈ [-0.6, -0.4], 0]
 */
export class MountainCarEnv implements Env<Float32Array, number> {
  readonly observationSpace = new Box([MIN_POSITION, -MAX_SPEED], [MAX_POSITION, MAX_SPEED]);
  readonly actionSpace = new Discrete(3);
  readonly metadata = { render_fps: 30 };
  private position = 0;
  private velocity = 0;
  private rng = new Generator(0);

  constructor(readonly goalVelocity = 0) {}

  get unwrapped(): Env {
    return this;
  }

  /** `[position, velocity]`, as Gymnasium's `env.unwrapped.state`. */
  get state(): number[] {
    return [this.position, this.velocity];
  }

  set state(v: ArrayLike<number>) {
    if (v.length !== 2) throw new Error(`MountainCar: state has 2 values [position, velocity], got ${v.length}`);
    this.position = v[0]!;
    this.velocity = v[1]!;
  }

  /** Position uniform in [−0.6, −0.4] (or `options.low/high`), velocity 0. */
  reset(options: ResetOptions = {}): ResetResult<Float32Array> {
    if (options.seed !== undefined) this.rng = new Generator(options.seed);
    const [low, high] = resetBounds('MountainCar', options.options, -0.6, -0.4);
    this.position = low + (high - low) * this.rng.nextFloat();
    this.velocity = 0;
    return { obs: this.obs(), info: {} };
  }

  step(action: number): StepResult<Float32Array> {
    let velocity = this.velocity + ((action - 1) * FORCE + Math.cos(3 * this.position) * -GRAVITY);
    velocity = clip(velocity, -MAX_SPEED, MAX_SPEED);
    const position = clip(this.position + velocity, MIN_POSITION, MAX_POSITION);
    if (position === MIN_POSITION && velocity < 0) velocity = 0;
    this.position = position;
    this.velocity = velocity;
    const terminated = position >= GOAL_POSITION && velocity >= this.goalVelocity;
    return { obs: this.obs(), reward: -1.0, terminated, truncated: false, info: {} };
  }

  close(): void {}

  private obs(): Float32Array {
    return Float32Array.of(this.position, this.velocity);
  }
}

function clip(x: number, lo: number, hi: number): number {
  return Math.min(Math.max(x, lo), hi);
}
