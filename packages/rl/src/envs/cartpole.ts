import { Generator } from '@mapnn/core';
import { Box } from '../spaces/box.js';
import { Discrete } from '../spaces/discrete.js';
import type { Env, ResetOptions, ResetResult, StepResult } from '../types.js';
import { resetBounds } from './reset-bounds.js';

const THETA_THRESHOLD = (12 * 2 * Math.PI) / 360;
const X_THRESHOLD = 2.4;

/**
 * CartPole (Barto, Sutton & Anderson 1983) with Gymnasium 1.x's dynamics: Euler integration at
 * τ = 0.02 s, force ±10 N, reward 1 per step (also on the terminating step), termination when
 * |x| > 2.4 or |θ| > 12°. `state` is `[x, ẋ, θ, θ̇]` in float64; observations are its float32 cast.
 * Registered as `CartPole-v1` (500 steps, threshold 475; kwarg `sutton_barto_reward`).
 *
 * @example
 * const env = new CartPoleEnv();
 * env.reset({ seed: 0 });
 * env.state = [0, 0, 0.1, 0];
 * env.step(1).obs; // Float32Array(4)
 */
export class CartPoleEnv implements Env<Float32Array, number> {
  readonly gravity = 9.8;
  readonly massCart = 1.0;
  readonly massPole = 0.1;
  readonly totalMass = 1.1;
  readonly length = 0.5;
  readonly poleMassLength = 0.05;
  readonly forceMag = 10.0;
  readonly tau = 0.02;
  readonly observationSpace = new Box([-X_THRESHOLD * 2, -Infinity, -THETA_THRESHOLD * 2, -Infinity], [X_THRESHOLD * 2, Infinity, THETA_THRESHOLD * 2, Infinity]);
  readonly actionSpace = new Discrete(2);
  readonly metadata = { render_fps: 50 };
  private s = new Float64Array(4);
  private stepsBeyondTerminated: number | null = null;
  private rng = new Generator(0);

  /** `suttonBartoReward`: reward 0 per step and −1 on termination (Gymnasium's `sutton_barto_reward`). */
  constructor(readonly suttonBartoReward = false) {}

  get unwrapped(): Env {
    return this;
  }

  /** `[x, x_dot, theta, theta_dot]`, as Gymnasium's `env.unwrapped.state`. */
  get state(): number[] {
    return Array.from(this.s);
  }

  set state(v: ArrayLike<number>) {
    if (v.length !== 4) throw new Error(`CartPole: state has 4 values [x, x_dot, theta, theta_dot], got ${v.length}`);
    this.s = Float64Array.from(v);
  }

  reset(options: ResetOptions = {}): ResetResult<Float32Array> {
    if (options.seed !== undefined) this.rng = new Generator(options.seed);
    const [low, high] = resetBounds('CartPole', options.options, -0.05, 0.05);
    for (let i = 0; i < 4; i++) this.s[i] = low + (high - low) * this.rng.nextFloat();
    this.stepsBeyondTerminated = null;
    return { obs: Float32Array.from(this.s), info: {} };
  }

  step(action: number): StepResult<Float32Array> {
    const [x, xDot, theta, thetaDot] = this.s as unknown as [number, number, number, number];
    const force = action === 1 ? this.forceMag : -this.forceMag;
    const cos = Math.cos(theta);
    const sin = Math.sin(theta);
    // the operation order of Gymnasium's numpy code, so that rounding matches over 500 steps
    const temp = (force + this.poleMassLength * (thetaDot * thetaDot) * sin) / this.totalMass;
    const thetaAcc = (this.gravity * sin - cos * temp) / (this.length * (4 / 3 - (this.massPole * (cos * cos)) / this.totalMass));
    const xAcc = temp - (this.poleMassLength * thetaAcc * cos) / this.totalMass;
    this.s[0] = x + this.tau * xDot;
    this.s[1] = xDot + this.tau * xAcc;
    this.s[2] = theta + this.tau * thetaDot;
    this.s[3] = thetaDot + this.tau * thetaAcc;
    const terminated = this.s[0] < -X_THRESHOLD || this.s[0] > X_THRESHOLD || this.s[2] < -THETA_THRESHOLD || this.s[2] > THETA_THRESHOLD;
    return { obs: Float32Array.from(this.s), reward: this.reward(terminated), terminated, truncated: false, info: {} };
  }

  close(): void {}

  private reward(terminated: boolean): number {
    const sb = this.suttonBartoReward;
    if (!terminated) return sb ? 0.0 : 1.0;
    if (this.stepsBeyondTerminated === null) {
      this.stepsBeyondTerminated = 0;
      return sb ? -1.0 : 1.0;
    }
    this.stepsBeyondTerminated++;
    return sb ? -1.0 : 0.0;
  }
}
