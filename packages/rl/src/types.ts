/**
 * The shared vocabulary of `@mapnn/rl`: spaces, environments and vector environments, with
 * Gymnasium 1.x's names and semantics (camelCase in TypeScript).
 *
 * Observations and actions are plain typed arrays or numbers, never tensors: environments run on
 * the host, agents turn batches into tensors.
 */
import type { Generator } from '@mapnn/core';

/** The element type a space holds (Gymnasium's `dtype`). */
export type SpaceDType = 'float32' | 'float64' | 'int64' | 'int32' | 'uint8';

/** A value of a space: a number for `Discrete`, a typed array for `Box` / `MultiDiscrete`. */
export type SpaceValue = number | Float32Array | Float64Array | Int32Array | Uint8Array;

interface SpaceBase<T extends SpaceValue> {
  /** The shape of one value (`[]` for `Discrete`). */
  readonly shape: readonly number[];
  readonly dtype: SpaceDType;
  /** Whether `x` is a member of the space (right length, in bounds, integral where needed). */
  contains(x: unknown): boolean;
  /** A uniformly drawn member (Box: uniform on bounded dims, as Gymnasium's `sample`). */
  sample(generator?: Generator): T;
  /** Gymnasium's repr, e.g. `Discrete(2)` or `Box(-2.0, 2.0, (1,), float32)`. */
  toString(): string;
}

/** A bounded or unbounded box of reals (or integers) — Gymnasium's `Box`. */
export interface BoxSpace extends SpaceBase<Float32Array | Float64Array> {
  readonly kind: 'box';
  /** Lower bounds, one per element (row-major), `-Infinity` where unbounded. */
  readonly low: Float32Array | Float64Array;
  /** Upper bounds, one per element (row-major), `Infinity` where unbounded. */
  readonly high: Float32Array | Float64Array;
}

/** The integers `start … start + n − 1` — Gymnasium's `Discrete`. */
export interface DiscreteSpace extends SpaceBase<number> {
  readonly kind: 'discrete';
  readonly n: number;
  readonly start: number;
}

/** A vector of independent discrete choices, element i in `0 … nvec[i] − 1` — Gymnasium's `MultiDiscrete`. */
export interface MultiDiscreteSpace extends SpaceBase<Int32Array> {
  readonly kind: 'multi-discrete';
  readonly nvec: Int32Array;
}

export type Space = BoxSpace | DiscreteSpace | MultiDiscreteSpace;

/** Extra information an environment returns (Gymnasium's `info` dict). */
export type Info = Record<string, unknown>;

export interface ResetOptions {
  /** Seeds the environment's generator (Gymnasium: `reset(seed=…)`); left out, the generator goes on. */
  seed?: number;
  /** Environment-specific options (e.g. `{ low, high }` for the classic-control initial state). */
  options?: Record<string, unknown>;
}

export interface ResetResult<O = SpaceValue> {
  obs: O;
  info: Info;
}

export interface StepResult<O = SpaceValue> {
  obs: O;
  reward: number;
  /** The episode reached a terminal state of the MDP (no bootstrapping). */
  terminated: boolean;
  /** The episode was cut short (time limit): bootstrap from the value of `obs`. */
  truncated: boolean;
  info: Info;
}

/**
 * A single environment with Gymnasium 1.x's API: `reset({ seed }) → { obs, info }`,
 * `step(action) → { obs, reward, terminated, truncated, info }`.
 */
export interface Env<O extends SpaceValue = SpaceValue, A extends SpaceValue = SpaceValue> {
  readonly observationSpace: Space;
  readonly actionSpace: Space;
  /** The registered id (`'CartPole-v1'`) when made by `makeEnv`. */
  readonly spec?: EnvSpec;
  /** The innermost environment, under every wrapper (its `state` is readable and writable). */
  readonly unwrapped: Env;
  /** Render metadata, as Gymnasium's (`render_fps`, …). */
  readonly metadata?: Record<string, unknown>;
  reset(options?: ResetOptions): ResetResult<O>;
  step(action: A): StepResult<O>;
  close(): void;
}

/** How an environment was registered (Gymnasium's `EnvSpec`, the fields mapnn uses). */
export interface EnvSpec {
  id: string;
  /** The time limit `makeEnv` wraps the environment in (`undefined`: none). */
  maxEpisodeSteps?: number;
  /** Mean return at which the task counts as solved (Gymnasium's `reward_threshold`). */
  rewardThreshold?: number;
  /** Keyword arguments given to the factory. */
  kwargs: Record<string, unknown>;
}

/** Batched results of a vector environment: element i belongs to sub-environment i. */
export interface VectorStepResult {
  /** Observations, `numEnvs × single observation size`, row-major (Int32Array for discrete observations). */
  obs: Float32Array | Float64Array | Int32Array;
  rewards: Float64Array;
  terminations: Uint8Array;
  truncations: Uint8Array;
  /** Gymnasium's batched info: each key holds an array of per-env values, `_key` a Uint8Array mask of the envs that set it. */
  infos: Info;
}

export interface VectorResetResult {
  obs: Float32Array | Float64Array | Int32Array;
  infos: Info;
}

/**
 * Several environments stepped together (Gymnasium 1.x `VectorEnv`), with next-step autoreset:
 * an env whose episode ended on step t is reset on step t + 1, where its action is ignored and
 * it returns the first observation of the new episode with reward 0 and both flags false.
 */
export interface VectorEnv {
  readonly numEnvs: number;
  readonly singleObservationSpace: Space;
  readonly singleActionSpace: Space;
  /** `reset({ seed })`: sub-env i gets seed `seed + i` (or `seed[i]`). */
  reset(options?: { seed?: number | number[]; options?: Record<string, unknown> }): VectorResetResult;
  /** One action per env: `Int32Array`/`number[]` (discrete) or `numEnvs × action size` floats (box). */
  step(actions: ArrayLike<number>): VectorStepResult;
  close(): void;
}

/** Makes an environment from keyword arguments (what `registerEnv` stores). */
export type EnvFactory = (kwargs: Record<string, unknown>) => Env;
