/**
 * A tiny deterministic environment for the vector-env and wrapper tests, with its own plain
 * space objects (so that the tests depend on nothing but `types.ts`).
 *
 * Observation: `Float32Array [episode, t, lastAction]` (episode counts resets, t steps within the
 * episode). Reward: `10 * episode + t` after the step. The episode terminates after `length`
 * steps, or is truncated there when `truncate` is set. `info` carries `{ t, ep }` (ep: the episode) on every
 * reset and step, and `{ seed }` on a reset that was given one.
 */
import type { BoxSpace, DiscreteSpace, Env, Info, ResetOptions, ResetResult, StepResult } from '../src/types.js';

/** A plain float32 Box of the given bounds (enough of `BoxSpace` for the tests). */
export function toyBox(low: number[], high: number[], dtype: 'float32' | 'float64' = 'float32', shape?: number[]): BoxSpace {
  const Ctor = dtype === 'float32' ? Float32Array : Float64Array;
  const lo = Ctor.from(low);
  const hi = Ctor.from(high);
  return {
    kind: 'box', shape: shape ?? [low.length], dtype, low: lo, high: hi,
    contains: (x) => (x instanceof Float32Array || x instanceof Float64Array) && x.length === lo.length && x.every((v, i) => v >= lo[i] && v <= hi[i]),
    sample: () => {
      const out = new Ctor(lo.length);
      for (let i = 0; i < lo.length; i++) out[i] = Number.isFinite(lo[i]) && Number.isFinite(hi[i]) ? (lo[i] + hi[i]) / 2 : 0;
      return out;
    },
    toString: () => `Box(${low}, ${high}, (${low.length},), ${dtype})`,
  };
}

/** A plain `Discrete(n)`. */
export function toyDiscrete(n: number): DiscreteSpace {
  return {
    kind: 'discrete', shape: [], dtype: 'int64', n, start: 0,
    contains: (x) => Number.isInteger(x) && (x as number) >= 0 && (x as number) < n,
    sample: () => 0,
    toString: () => `Discrete(${n})`,
  };
}

export interface ToyEnvOptions {
  /** Steps per episode (default 3). */
  length?: number;
  /** End episodes by truncation instead of termination. */
  truncate?: boolean;
  /** Actions (default 3). */
  numActions?: number;
}

/** The deterministic toy environment (see the file comment). */
export class ToyEnv implements Env<Float32Array, number> {
  readonly observationSpace = toyBox([0, 0, -1], [1e6, 1e6, 1e6]);
  readonly actionSpace: DiscreteSpace;
  readonly metadata = { render_fps: 30 };
  readonly length: number;
  readonly truncate: boolean;
  episode = -1;
  t = 0;
  /** Every action `step` received, in order. */
  readonly actions: number[] = [];
  /** Every seed `reset` received (`undefined` where none). */
  readonly seeds: (number | undefined)[] = [];
  closed = false;

  constructor(options: ToyEnvOptions = {}) {
    this.length = options.length ?? 3;
    this.truncate = options.truncate ?? false;
    this.actionSpace = toyDiscrete(options.numActions ?? 3);
  }

  get unwrapped(): Env {
    return this;
  }

  reset(options: ResetOptions = {}): ResetResult<Float32Array> {
    this.seeds.push(options.seed);
    this.episode++;
    this.t = 0;
    const info: Info = { t: 0, ep: this.episode };
    if (options.seed !== undefined) info['seed'] = options.seed;
    return { obs: Float32Array.of(this.episode, 0, -1), info };
  }

  step(action: number): StepResult<Float32Array> {
    if (!this.actionSpace.contains(action)) throw new Error(`ToyEnv.step: action ${action} is not in ${this.actionSpace}`);
    this.actions.push(action);
    this.t++;
    const done = this.t >= this.length;
    return {
      obs: Float32Array.of(this.episode, this.t, action),
      reward: 10 * this.episode + this.t,
      terminated: done && !this.truncate,
      truncated: done && this.truncate,
      info: { t: this.t, ep: this.episode },
    };
  }

  close(): void {
    this.closed = true;
  }
}
