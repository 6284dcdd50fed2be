/**
 * Tiny seeded vector environments for the agents' unit tests (independent of the built-in
 * envs): each episode lasts `length` steps (then truncated), the observation is a random
 * sign x ∈ {−1, 1} drawn each step, and the reward rewards the action that matches it.
 */
import { Generator } from '@mapnn/core';
import type { BoxSpace, DiscreteSpace, Space, VectorEnv, VectorResetResult, VectorStepResult } from '../src/types.js';

export function box(low: number[], high: number[]): BoxSpace {
  return {
    kind: 'box', shape: [low.length], dtype: 'float32', low: Float32Array.from(low), high: Float32Array.from(high),
    contains: (x) => x instanceof Float32Array && x.length === low.length,
    sample: (g = new Generator(0)) => Float32Array.from(low, (l, i) => l + g.nextFloat() * (high[i]! - l)),
    toString: () => `Box(${low}, ${high}, (${low.length},), float32)`,
  };
}

export function discrete(n: number): DiscreteSpace {
  return {
    kind: 'discrete', n, start: 0, shape: [], dtype: 'int64',
    contains: (x) => Number.isInteger(x) && (x as number) >= 0 && (x as number) < n,
    sample: (g = new Generator(0)) => g.nextBelow(n),
    toString: () => `Discrete(${n})`,
  };
}

/**
 * `numEnvs` sign-matching tasks with Gymnasium's next-step autoreset. Discrete: action 1 is right
 * for x = 1, action 0 for x = −1 (reward 1 when right). Continuous: reward −(a − x)².
 * `terminateOnWrong`: a wrong discrete action terminates the episode (reward 0).
 */
export class SignVectorEnv implements VectorEnv {
  readonly singleObservationSpace: Space = box([-1], [1]);
  readonly singleActionSpace: Space;
  private readonly g = new Generator(123);
  private readonly x: Float32Array;
  private readonly t: Int32Array;
  private readonly ended: Uint8Array;

  constructor(readonly numEnvs: number, readonly continuous = false, readonly length = 10, readonly terminateOnWrong = false) {
    this.singleActionSpace = continuous ? box([-2], [2]) : discrete(2);
    this.x = new Float32Array(numEnvs);
    this.t = new Int32Array(numEnvs);
    this.ended = new Uint8Array(numEnvs);
  }

  reset(options: { seed?: number | number[] } = {}): VectorResetResult {
    if (typeof options.seed === 'number') this.g.manualSeed(options.seed);
    for (let i = 0; i < this.numEnvs; i++) this.resetOne(i);
    return { obs: Float32Array.from(this.x), infos: {} };
  }

  step(actions: ArrayLike<number>): VectorStepResult {
    const n = this.numEnvs;
    const rewards = new Float64Array(n);
    const terminations = new Uint8Array(n);
    const truncations = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      if (this.ended[i]) {
        this.resetOne(i);
        continue;
      }
      const a = actions[i]!;
      const right = this.continuous ? false : (a === 1) === (this.x[i]! > 0);
      rewards[i] = this.continuous ? -((a - this.x[i]!) ** 2) : right ? 1 : 0;
      this.t[i] = this.t[i]! + 1;
      if (this.terminateOnWrong && !this.continuous && !right) terminations[i] = 1;
      else if (this.t[i]! >= this.length) truncations[i] = 1;
      this.ended[i] = terminations[i]! | truncations[i]!;
      this.x[i] = this.g.nextFloat() < 0.5 ? -1 : 1;
    }
    return { obs: Float32Array.from(this.x), rewards, terminations, truncations, infos: {} };
  }

  close(): void {}

  private resetOne(i: number): void {
    this.x[i] = this.g.nextFloat() < 0.5 ? -1 : 1;
    this.t[i] = 0;
    this.ended[i] = 0;
  }
}
