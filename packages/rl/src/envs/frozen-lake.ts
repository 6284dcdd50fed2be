import { Generator } from '@mapnn/core';
import { Discrete } from '../spaces/discrete.js';
import type { Env, ResetOptions, ResetResult, StepResult } from '../types.js';

/** One possible outcome of an action: `[probability, next state, reward, terminated]` (Gymnasium's `P[s][a]` entries). */
export type Transition = [prob: number, nextState: number, reward: number, terminated: boolean];

/**
 * The predefined maps of Gymnasium's FrozenLake (`S` start, `F` frozen, `H` hole, `G` goal).
 *
 * @example new FrozenLakeEnv({ desc: FROZEN_LAKE_MAPS['8x8'] }).observationSpace.n // 64
 */
export const FROZEN_LAKE_MAPS: Readonly<Record<'4x4' | '8x8', readonly string[]>> = {
  '4x4': ['SFFF', 'FHFH', 'FFFH', 'HFFG'],
  '8x8': ['SFFFFFFF', 'FFFFFFFF', 'FFFHFFFF', 'FFFFFHFF', 'FFFHFFFF', 'FHHFFFHF', 'FHFFHFHF', 'FFFHFFFG'],
};

/** Keyword arguments of `FrozenLakeEnv` (Gymnasium's names). */
export interface FrozenLakeOptions {
  /** The map rows; overrides `map_name`. */
  desc?: readonly string[];
  map_name?: '4x4' | '8x8';
  /** Move in the intended direction with probability `success_rate`, else to either side (default true). */
  is_slippery?: boolean;
  /** Default 1/3. */
  success_rate?: number;
  /** Rewards for reaching `[goal, hole, frozen]` (default `[1, 0, 0]`). */
  reward_schedule?: readonly [number, number, number];
}

const LEFT = 0;
const DOWN = 1;
const RIGHT = 2;
const UP = 3;

/**
 * Frozen Lake with Gymnasium 1.x's transition table `P`: actions left / down / right / up,
 * observations the cell index `row · ncol + col`, termination in a hole or at the goal, on a
 * slippery lake the intended move with probability `success_rate` and each perpendicular one
 * with `(1 − success_rate) / 2`. `state` is the integer cell `s`. Registered as
 * `FrozenLake-v1` (4×4, 100 steps, threshold 0.70) and `FrozenLake8x8-v1` (200 steps, 0.85).
 *
 * @example
 * const env = new FrozenLakeEnv({ is_slippery: false });
 * env.reset({ seed: 0 }); // { obs: 0, info: { prob: 1 } }
 * env.step(2).obs; // 1
 */
export class FrozenLakeEnv implements Env<number, number> {
  readonly observationSpace: Discrete;
  readonly actionSpace = new Discrete(4);
  readonly metadata = { render_fps: 4 };
  readonly desc: readonly string[];
  readonly nrow: number;
  readonly ncol: number;
  /** `P[s][a]`: the possible transitions, in Gymnasium's order. */
  readonly P: readonly (readonly (readonly Transition[])[])[];
  private readonly initialStates: number[];
  private s = 0;
  private rng = new Generator(0);

  constructor(options: FrozenLakeOptions = {}) {
    const mapName = options.map_name ?? '4x4';
    const desc = options.desc ?? FROZEN_LAKE_MAPS[mapName];
    if (!desc) throw new Error(`FrozenLake: map_name must be '4x4' or '8x8', got '${String(mapName)}'`);
    this.desc = checkDesc(desc);
    this.nrow = desc.length;
    this.ncol = desc[0]!.length;
    this.P = transitionTable(this.desc, options.is_slippery ?? true, options.success_rate ?? 1 / 3, options.reward_schedule ?? [1, 0, 0]);
    this.observationSpace = new Discrete(this.nrow * this.ncol);
    this.initialStates = this.cells().filter((s) => this.letter(s) === 'S');
    if (this.initialStates.length === 0) throw new Error("FrozenLake: desc has no start cell 'S'");
  }

  get unwrapped(): Env {
    return this;
  }

  /** The current cell `row · ncol + col` (Gymnasium's `env.unwrapped.s`). */
  get state(): number {
    return this.s;
  }

  set state(v: number) {
    if (!this.observationSpace.contains(v)) throw new Error(`FrozenLake: state must be a cell in 0 … ${this.observationSpace.n - 1}, got ${v}`);
    this.s = v;
  }

  /** Starts on a start cell (uniform over the `S` cells; the predefined maps have one). */
  reset(options: ResetOptions = {}): ResetResult<number> {
    if (options.seed !== undefined) this.rng = new Generator(options.seed);
    this.s = this.initialStates[this.rng.nextBelow(this.initialStates.length)]!;
    return { obs: this.s, info: { prob: 1 } };
  }

  step(action: number): StepResult<number> {
    const transitions = this.P[this.s]?.[action];
    if (!transitions) throw new Error(`FrozenLake.step: action must be 0 … 3, got ${action}`);
    const [prob, s, reward, terminated] = transitions[categoricalSample(transitions.map((t) => t[0]), this.rng)]!;
    this.s = s;
    return { obs: s, reward, terminated, truncated: false, info: { prob } };
  }

  close(): void {}

  private cells(): number[] {
    return Array.from({ length: this.nrow * this.ncol }, (_, i) => i);
  }

  private letter(s: number): string {
    return this.desc[Math.floor(s / this.ncol)]![s % this.ncol]!;
  }
}

function checkDesc(desc: readonly string[]): readonly string[] {
  const ncol = desc[0]?.length ?? 0;
  if (desc.length === 0 || ncol === 0) throw new Error('FrozenLake: desc must have at least one non-empty row');
  for (const [i, row] of desc.entries()) {
    if (row.length !== ncol) throw new Error(`FrozenLake: desc rows must have the same length, row ${i} has ${row.length} (row 0 has ${ncol})`);
    if (!/^[SFHG]+$/.test(row)) throw new Error(`FrozenLake: desc rows hold only S, F, H, G, got '${row}'`);
  }
  return [...desc];
}

/** Gymnasium's `P` construction: holes and goals absorb; otherwise one (or three, slippery) moves. */
function transitionTable(desc: readonly string[], slippery: boolean, successRate: number, rewards: readonly [number, number, number]): Transition[][][] {
  const nrow = desc.length;
  const ncol = desc[0]!.length;
  const failRate = (1.0 - successRate) / 2.0;
  const move = (row: number, col: number, a: number): [number, number] => {
    if (a === LEFT) col = Math.max(col - 1, 0);
    else if (a === DOWN) row = Math.min(row + 1, nrow - 1);
    else if (a === RIGHT) col = Math.min(col + 1, ncol - 1);
    else if (a === UP) row = Math.max(row - 1, 0);
    return [row, col];
  };
  const outcome = (prob: number, row: number, col: number, a: number): Transition => {
    const [r, c] = move(row, col, a);
    const letter = desc[r]![c]!;
    const reward = letter === 'G' ? rewards[0] : letter === 'H' ? rewards[1] : rewards[2];
    return [prob, r * ncol + c, reward, letter === 'G' || letter === 'H'];
  };
  const P: Transition[][][] = [];
  for (let row = 0; row < nrow; row++) {
    for (let col = 0; col < ncol; col++) {
      const s = row * ncol + col;
      const letter = desc[row]![col]!;
      P[s] = [0, 1, 2, 3].map((a) => {
        if (letter === 'G' || letter === 'H') return [[1.0, s, 0, true]];
        if (!slippery) return [outcome(1.0, row, col, a)];
        return [(a + 3) % 4, a, (a + 1) % 4].map((b) => outcome(b === a ? successRate : failRate, row, col, b));
      });
    }
  }
  return P;
}

/** Gymnasium's `categorical_sample`: the first index whose cumulative probability exceeds a uniform draw. */
function categoricalSample(probs: readonly number[], rng: Generator): number {
  const u = rng.nextFloat();
  let cum = 0;
  for (let i = 0; i < probs.length; i++) {
    cum += probs[i]!;
    if (cum > u) return i;
  }
  return 0;
}
