import { describe, expect, it } from 'vitest';
import { makeEnv } from '../envs/index.js';
import { makeVectorEnv } from './make-vector-env.js';

describe('makeVectorEnv', () => {
  it('makes numEnvs registered envs; reset({ seed }) seeds env i as makeEnv(id).reset({ seed: seed + i })', () => {
    const envs = makeVectorEnv('CartPole-v1', 3);
    expect(envs.numEnvs).toBe(3);
    expect(envs.envs[0].spec?.id).toBe('CartPole-v1');
    expect(String(envs)).toBe('SyncVectorEnv(CartPole-v1, numEnvs=3)');
    const { obs } = envs.reset({ seed: 5 });
    expect(obs).toBeInstanceOf(Float32Array);
    expect(obs.length).toBe(12);
    for (let i = 0; i < 3; i++) {
      const single = makeEnv('CartPole-v1').reset({ seed: 5 + i }).obs as Float32Array;
      expect(Array.from(obs.subarray(4 * i, 4 * i + 4))).toEqual(Array.from(single));
    }
    expect(envs.autoresetMode).toBe('next-step');
  });

  it('runs CartPole through many autoresets with any actions', () => {
    const envs = makeVectorEnv('CartPole-v1', 2);
    envs.reset({ seed: 1 });
    let ends = 0;
    for (let t = 0; t < 200; t++) {
      const s = envs.step(Int32Array.of(1, t % 2));
      ends += s.terminations.reduce((a, b) => a + b, 0) + s.truncations.reduce((a, b) => a + b, 0);
    }
    expect(ends).toBeGreaterThan(5);
  });

  it('checks numEnvs and the id', () => {
    expect(() => makeVectorEnv('CartPole-v1', 0)).toThrow(/numEnvs must be a positive integer/);
    expect(() => makeVectorEnv('NoSuchEnv-v0', 1)).toThrow(/NoSuchEnv-v0/);
  });
});
