import { describe, expect, it } from 'vitest';
import { gymnasiumParity, stateOf } from '../../test/env-fixtures.js';
import { CartPoleEnv } from './cartpole.js';
import { makeEnv } from './registry.js';

describe('CartPole-v1 against Gymnasium', () => gymnasiumParity('CartPole-v1'));

describe('CartPoleEnv', () => {
  it('resets reproducibly from a seed, inside ±0.05 (or options.low/high)', () => {
    const a = new CartPoleEnv().reset({ seed: 7 }).obs;
    const b = new CartPoleEnv().reset({ seed: 7 }).obs;
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(new CartPoleEnv().reset({ seed: 8 }).obs)).not.toEqual(Array.from(a));
    const env = new CartPoleEnv();
    env.reset({ seed: 1 });
    for (let i = 0; i < 50; i++) expect(env.reset().obs.every((v) => Math.abs(v) <= 0.05)).toBe(true);
    const wide = env.reset({ seed: 2, options: { low: 0.2, high: 0.3 } }).obs;
    expect(wide.every((v) => v >= Math.fround(0.2) && v <= Math.fround(0.3))).toBe(true);
    expect(() => env.reset({ options: { low: 1, high: 0 } })).toThrow('CartPole.reset: options.low (1) must be ≤ options.high (0)');
  });

  it('keeps the state in float64 and casts only the observation', () => {
    const env = new CartPoleEnv();
    env.reset({ seed: 0 });
    env.state = [0.1, 0.2, 0.01, 0.3];
    expect(env.state).toEqual([0.1, 0.2, 0.01, 0.3]);
    const { obs } = env.step(1);
    expect(env.state[0]).toBe(0.1 + 0.02 * 0.2);
    expect(obs[0]).toBe(Math.fround(0.1 + 0.02 * 0.2));
    expect(() => (env.state = [1, 2])).toThrow(/4 values/);
  });

  it('gives reward 0 on steps after termination (without the order check)', () => {
    const env = new CartPoleEnv();
    env.reset({ seed: 0 });
    env.state = [2.5, 0, 0, 0];
    expect(env.step(0)).toMatchObject({ reward: 1, terminated: true });
    expect(env.step(0)).toMatchObject({ reward: 0, terminated: true });
    const sb = makeEnv('CartPole-v1', { sutton_barto_reward: true });
    sb.reset({ seed: 0 });
    expect(sb.step(0).reward).toBe(0);
    stateOf(sb).state = [2.5, 0, 0, 0];
    expect(sb.step(0).reward).toBe(-1);
  });
});
