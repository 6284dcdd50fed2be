/**
 * Loads the Gymnasium reference trajectories of `scripts/gym_fixtures.py` (fixtures/envs/<id>.json)
 * and replays them through `makeEnv`, for src/envs/*.test.ts. Never runs Python.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { envSpec, makeEnv } from '../src/envs/registry.js';
import type { Env, SpaceValue } from '../src/types.js';

/** One recorded trajectory: a set state, the actions and what Gymnasium returned at each step. */
export interface TrajectoryCase {
  state: number[] | number;
  actions: (number | number[])[];
  obs: (number[] | number)[];
  rewards: number[];
  terminated: boolean[];
  truncated: boolean[];
  kwargs?: Record<string, unknown>;
  /** Some actions lie outside the action space (the action check is disabled to replay them). */
  unchecked?: boolean;
}

/** Gymnasium's registration and space reprs of an env. */
export interface FixtureSpec {
  id: string;
  max_episode_steps: number | null;
  reward_threshold: number | null;
  observation_space: string;
  action_space: string;
}

export interface EnvFixture {
  gymnasium: string;
  numpy: string;
  spec: FixtureSpec;
  cases: TrajectoryCase[];
}

/** `[prob, next state, reward, terminated]`, as Gymnasium's `P[s][a]` entries. */
export type FixtureTransition = [number, number, number, boolean];

export interface FrozenLakeFixture extends EnvFixture {
  tables: { kwargs: Record<string, unknown>; P: FixtureTransition[][][] }[];
  /** Gymnasium's slippery episodes, steps `[s, a, s', prob, reward, terminated, truncated]`. */
  slippery_episodes: [number, number, number, number, number, boolean, boolean][][];
  spec_8x8: FixtureSpec;
}

/**
 * Parses fixtures/envs/<id>.json.
 *
 * @example loadEnvFixture('CartPole-v1').gymnasium // '1.3.0'
 */
export function loadEnvFixture<T extends EnvFixture = EnvFixture>(id: string): T {
  const url = new URL(`../fixtures/envs/${id}.json`, import.meta.url);
  return JSON.parse(readFileSync(fileURLToPath(url), 'utf8')) as T;
}

/** `|a − b| ≤ 1e-5 · max(1, |b|)`: the tolerance of every observation. */
export function closeTo(a: number, b: number, rel = 1e-5): boolean {
  return Math.abs(a - b) <= rel * Math.max(1, Math.abs(b));
}

/** The env's innermost state, readable and writable (every built-in env has one). */
export function stateOf(env: Env): { state: number[] | number } {
  return env.unwrapped as unknown as { state: number[] | number };
}

/**
 * Replays a case through `makeEnv(id)`: reset with seed 0, set the state, step the actions and
 * throw at the first step whose observation (1e-5 relative), reward (1e-9) or flags differ.
 * Returns the number of steps compared.
 *
 * @example replayCase('CartPole-v1', loadEnvFixture('CartPole-v1').cases[0]!) // 41
 */
export function replayCase(id: string, c: TrajectoryCase): number {
  const env = makeEnv(id, c.kwargs ?? {}, { disableEnvChecker: c.unchecked === true });
  env.reset({ seed: 0 });
  stateOf(env).state = c.state;
  c.rewards.forEach((wantReward, t) => {
    const a = c.actions[t]!;
    const got = env.step((typeof a === 'number' ? a : Float32Array.from(a)) as SpaceValue);
    const where = `${id} from state ${JSON.stringify(c.state)}, step ${t}`;
    compareObs(got.obs, c.obs[t]!, where);
    if (!(Math.abs(got.reward - wantReward) <= 1e-9 * Math.max(1, Math.abs(wantReward)))) {
      throw new Error(`${where}: reward ${got.reward}, Gymnasium ${wantReward}`);
    }
    if (got.terminated !== c.terminated[t] || got.truncated !== c.truncated[t]) {
      throw new Error(`${where}: terminated/truncated ${got.terminated}/${got.truncated}, Gymnasium ${c.terminated[t]}/${c.truncated[t]}`);
    }
  });
  return c.rewards.length;
}

function compareObs(got: SpaceValue, want: number[] | number, where: string): void {
  if (typeof want === 'number') {
    if (got !== want) throw new Error(`${where}: obs ${String(got)}, Gymnasium ${want}`);
    return;
  }
  if (!(got instanceof Float32Array)) throw new Error(`${where}: obs is not a Float32Array (Gymnasium's float32 observation)`);
  if (got.length !== want.length) throw new Error(`${where}: obs has ${got.length} values, Gymnasium ${want.length}`);
  want.forEach((w, j) => {
    if (!closeTo(got[j]!, w)) throw new Error(`${where}: obs[${j}] = ${got[j]}, Gymnasium ${w}`);
  });
}

/**
 * Declares the Gymnasium-parity tests of `id` (inside a `describe`): every recorded trajectory,
 * the registered time limit and reward threshold, and the spaces' reprs.
 *
 * @example describe('CartPole-v1', () => gymnasiumParity('CartPole-v1'));
 */
export function gymnasiumParity(id: string): void {
  const fixture = loadEnvFixture(id);
  for (const [i, c] of fixture.cases.entries()) {
    const end = c.terminated.at(-1) ? 'terminated' : c.truncated.at(-1) ? 'truncated' : 'running';
    it(`case ${i}: ${c.rewards.length} steps (${end}) equal Gymnasium ${fixture.gymnasium}'s${c.kwargs ? ` with ${JSON.stringify(c.kwargs)}` : ''}`, () => {
      expect(replayCase(id, c)).toBe(c.rewards.length);
    });
  }
  it(`has Gymnasium ${fixture.gymnasium}'s registration and space reprs`, () => {
    expectSpec(id, fixture.spec);
  });
}

/** Expects `envSpec(id)` and the made env's spaces to match Gymnasium's. */
export function expectSpec(id: string, spec: FixtureSpec, kwargs: Record<string, unknown> = {}): void {
  const env = makeEnv(id, kwargs);
  expect(envSpec(id).maxEpisodeSteps ?? null).toBe(spec.max_episode_steps);
  expect(envSpec(id).rewardThreshold ?? null).toBe(spec.reward_threshold);
  expect(env.observationSpace.toString()).toBe(spec.observation_space);
  expect(env.actionSpace.toString()).toBe(spec.action_space);
}
