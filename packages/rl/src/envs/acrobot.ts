import { Generator } from '@mapnn/core';
import { Box } from '../spaces/box.js';
import { Discrete } from '../spaces/discrete.js';
import type { Env, ResetOptions, ResetResult, StepResult } from '../types.js';
import { resetBounds } from './reset-bounds.js';
import { rk4 } from './rk4.js';

const DT = 0.2;
const LINK_LENGTH_1 = 1.0;
const LINK_MASS_1 = 1.0;
const LINK_MASS_2 = 1.0;
const LINK_COM_POS_1 = 0.5;
const LINK_COM_POS_2 = 0.5;
const LINK_MOI = 1.0;
const MAX_VEL_1 = 4 * Math.PI;
const MAX_VEL_2 = 9 * Math.PI;
const AVAIL_TORQUE = [-1.0, 0.0, 1.0] as const;
const G = 9.8;

/**
 * Acrobot (Sutton & Barto's two-link swing-up) with Gymnasium 1.x's dynamics: the "book"
 * equations, one RK4 step of dt = 0.2 (Gymnasium's `rk4`), angles wrapped to [−π, π],
 * velocities clipped to ±4π / ±9π, reward −1 per step and 0 on the terminating one (tip above
 * the bar: `−cos θ1 − cos(θ1 + θ2) > 1`). `state` is `[θ1, θ2, θ̇1, θ̇2]` (float32-rounded
 * after `reset`, float64 after a step, as Gymnasium); observations
 * `[cos θ1, sin θ1, cos θ2, sin θ2, θ̇1, θ̇2]` in float32. Registered as `Acrobot-v1`.
 *
 * @example
 * const env = new AcrobotEnv();
 * env.reset({ seed: 0 });
 * env.step(2).reward; // -1
 */
export class AcrobotEnv implements Env<Float32Array, number> {
  readonly observationSpace = new Box([-1, -1, -1, -1, -MAX_VEL_1, -MAX_VEL_2], [1, 1, 1, 1, MAX_VEL_1, MAX_VEL_2]);
  readonly actionSpace = new Discrete(3);
  readonly metadata = { render_fps: 15 };
  private s = new Float64Array(4);
  private rng = new Generator(0);

  get unwrapped(): Env {
    return this;
  }

  /** `[theta1, theta2, dtheta1, dtheta2]`, as Gymnasium's `env.unwrapped.state`. */
  get state(): number[] {
    return Array.from(this.s);
  }

  set state(v: ArrayLike<number>) {
    if (v.length !== 4) throw new Error(`Acrobot: state has 4 values [theta1, theta2, dtheta1, dtheta2], got ${v.length}`);
    this.s = Float64Array.from(v);
  }

  /** Each state variable uniform in [−0.1, 0.1] (or `options.low/high`), rounded to float32 as Gymnasium. */
  reset(options: ResetOptions = {}): ResetResult<Float32Array> {
    if (options.seed !== undefined) this.rng = new Generator(options.seed);
    const [low, high] = resetBounds('Acrobot', options.options, -0.1, 0.1);
    for (let i = 0; i < 4; i++) this.s[i] = Math.fround(low + (high - low) * this.rng.nextFloat());
    return { obs: this.obs(), info: {} };
  }

  step(action: number): StepResult<Float32Array> {
    const torque = AVAIL_TORQUE[action];
    if (torque === undefined) throw new Error(`Acrobot.step: action must be 0, 1 or 2, got ${action}`);
    const ns = rk4(dsdt, [this.s[0]!, this.s[1]!, this.s[2]!, this.s[3]!, torque], DT);
    this.s[0] = wrap(ns[0]!, -Math.PI, Math.PI);
    this.s[1] = wrap(ns[1]!, -Math.PI, Math.PI);
    this.s[2] = Math.min(Math.max(ns[2]!, -MAX_VEL_1), MAX_VEL_1);
    this.s[3] = Math.min(Math.max(ns[3]!, -MAX_VEL_2), MAX_VEL_2);
    const terminated = -Math.cos(this.s[0]) - Math.cos(this.s[1] + this.s[0]) > 1.0;
    return { obs: this.obs(), reward: terminated ? 0.0 : -1.0, terminated, truncated: false, info: {} };
  }

  close(): void {}

  private obs(): Float32Array {
    const [t1, t2, d1, d2] = this.s as unknown as [number, number, number, number];
    return Float32Array.of(Math.cos(t1), Math.sin(t1), Math.cos(t2), Math.sin(t2), d1, d2);
  }
}

/** Wraps `x` into [m, M] by whole turns (Gymnasium's `wrap`). */
function wrap(x: number, m: number, M: number): number {
  const diff = M - m;
  while (x > M) x = x - diff;
  while (x < m) x = x + diff;
  return x;
}

/** The "book" equations of motion; `s` is `[θ1, θ2, θ̇1, θ̇2, torque]`, in Gymnasium's operation order. */
function dsdt(s: readonly number[]): number[] {
  const m1 = LINK_MASS_1;
  const m2 = LINK_MASS_2;
  const l1 = LINK_LENGTH_1;
  const lc1 = LINK_COM_POS_1;
  const lc2 = LINK_COM_POS_2;
  const I1 = LINK_MOI;
  const I2 = LINK_MOI;
  const [theta1, theta2, dtheta1, dtheta2, a] = s as unknown as [number, number, number, number, number];
  const d1 = m1 * lc1 ** 2 + m2 * (l1 ** 2 + lc2 ** 2 + 2 * l1 * lc2 * Math.cos(theta2)) + I1 + I2;
  const d2 = m2 * (lc2 ** 2 + l1 * lc2 * Math.cos(theta2)) + I2;
  const phi2 = m2 * lc2 * G * Math.cos(theta1 + theta2 - Math.PI / 2.0);
  const phi1 =
    -m2 * l1 * lc2 * dtheta2 ** 2 * Math.sin(theta2) -
    2 * m2 * l1 * lc2 * dtheta2 * dtheta1 * Math.sin(theta2) +
    (m1 * lc1 + m2 * l1) * G * Math.cos(theta1 - Math.PI / 2) +
    phi2;
  const ddtheta2 = (a + (d2 / d1) * phi1 - m2 * l1 * lc2 * dtheta1 ** 2 * Math.sin(theta2) - phi2) / (m2 * lc2 ** 2 + I2 - d2 ** 2 / d1);
  const ddtheta1 = -(d2 * ddtheta2 + phi1) / d1;
  return [dtheta1, dtheta2, ddtheta1, ddtheta2, 0.0];
}
