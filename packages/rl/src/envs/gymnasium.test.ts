import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Env, SpaceValue } from '../types.js';
import { makeEnv } from './registry.js';

interface Case {
  env: string;
  state: number[];
  actions: (number | number[])[];
  steps: { obs: number[]; reward: number; terminated: boolean; truncated: boolean }[];
}

/** Written by scripts/gym_fixtures.py with the real Gymnasium (committed fixture). */
const fixture = JSON.parse(readFileSync(fileURLToPath(new URL('../../fixtures/gym-trajectories.json', import.meta.url)), 'utf8')) as { gymnasium: string; cases: Case[] };

function close(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-5 * Math.max(1, Math.abs(b));
}

describe(`trajectories equal Gymnasium ${fixture.gymnasium}'s from the same state and actions`, () => {
  for (const [i, c] of fixture.cases.entries()) {
    it(`${c.env} case ${i} (${c.steps.length} steps)`, () => {
      const env = makeEnv(c.env);
      env.reset({ seed: 0 });
      (env.unwrapped as Env & { state: number[] }).state = c.state;
      c.steps.forEach((want, t) => {
        const a = c.actions[t]!;
        const got = env.step((typeof a === 'number' ? a : Float32Array.from(a)) as SpaceValue);
        const obs = Array.from(got.obs as Float32Array);
        const bad = obs.findIndex((v, j) => !close(v, want.obs[j]!));
        if (bad >= 0) throw new Error(`${c.env} case ${i} step ${t}: obs[${bad}] = ${obs[bad]}, Gymnasium ${want.obs[bad]}`);
        expect(got.reward).toBeCloseTo(want.reward, 9);
        expect([got.terminated, got.truncated]).toEqual([want.terminated, want.truncated]);
      });
    });
  }
});

describe('makeEnv', () => {
  it('enforces the order and the action space with clear errors', () => {
    const env = makeEnv('CartPole-v1');
    expect(() => env.step(0)).toThrow('CartPole-v1: step() called before reset()');
    env.reset({ seed: 1 });
    expect(() => env.step(2)).toThrow('CartPole-v1: action 2 is not in the action space Discrete(2)');
    (env.unwrapped as Env & { state: number[] }).state = [3, 0, 0, 0];
    expect(env.step(0).terminated).toBe(true);
    expect(() => env.step(0)).toThrow(/after the episode ended/);
    expect(() => makeEnv('Nope-v0')).toThrow(/no environment 'Nope-v0'.*CartPole-v1/);
  });

  it('seeded resets repeat and stay in Gymnasium\'s initial bounds; the state setter round-trips', () => {
    const a = makeEnv('CartPole-v1').reset({ seed: 7 }).obs as Float32Array;
    const b = makeEnv('CartPole-v1').reset({ seed: 7 }).obs as Float32Array;
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a).every((v) => Math.abs(v) <= 0.05)).toBe(true);
    const p = makeEnv('Pendulum-v1');
    p.reset({ seed: 3 });
    const u = p.unwrapped as Env & { state: number[] };
    expect(Math.abs(u.state[0]!)).toBeLessThanOrEqual(Math.PI);
    u.state = [0.25, -0.5];
    expect(u.state).toEqual([0.25, -0.5]);
  });

  it('truncates at the registered limit', () => {
    const env = makeEnv('Pendulum-v1');
    env.reset({ seed: 0 });
    let t = 0;
    let r;
    do r = env.step(Float32Array.of(0)), t++; while (!r.truncated);
    expect(t).toBe(200);
    expect(r.terminated).toBe(false);
  });
});
