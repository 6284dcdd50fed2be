import { Generator } from '@mapnn/core';
import { describe, expect, it } from 'vitest';
import { expectSpec, gymnasiumParity, loadEnvFixture, type FrozenLakeFixture } from '../../test/env-fixtures.js';
import { FrozenLakeEnv, type FrozenLakeOptions } from './frozen-lake.js';
import { makeEnv } from './registry.js';

const fixture = loadEnvFixture<FrozenLakeFixture>('FrozenLake-v1');

describe('FrozenLake-v1 against Gymnasium', () => {
  gymnasiumParity('FrozenLake-v1');

  it('FrozenLake8x8-v1 has Gymnasium\'s registration and spaces', () => expectSpec('FrozenLake8x8-v1', fixture.spec_8x8));

  for (const { kwargs, P } of fixture.tables) {
    it(`P[s][a] equals Gymnasium's for ${JSON.stringify(kwargs)}`, () => {
      const env = new FrozenLakeEnv(kwargs as FrozenLakeOptions);
      expect(env.P.length).toBe(P.length);
      P.forEach((row, s) => row.forEach((want, a) => {
        const got = env.P[s]![a]!;
        expect(got.length, `P[${s}][${a}]`).toBe(want.length);
        want.forEach(([p, ns, r, t], k) => {
          const [gp, gns, gr, gt] = got[k]!;
          expect(Math.abs(gp - p), `P[${s}][${a}][${k}].prob`).toBeLessThan(1e-12);
          expect([gns, gr, gt], `P[${s}][${a}][${k}]`).toEqual([ns, r, t]);
        });
      }));
    });
  }

  it("Gymnasium's slippery episodes are transitions of P, with their probabilities", () => {
    const env = makeEnv('FrozenLake-v1').unwrapped as FrozenLakeEnv;
    for (const episode of fixture.slippery_episodes) {
      for (const [s, a, ns, prob, reward, terminated] of episode) {
        const hit = env.P[s]![a]!.find((t) => t[1] === ns);
        expect(hit, `${s} -${a}-> ${ns}`).toBeDefined();
        expect(hit![0]).toBeCloseTo(prob, 12);
        expect([hit![2], hit![3]]).toEqual([reward, terminated]);
      }
    }
  });
});

describe('FrozenLakeEnv', () => {
  it('starts at the S cell, and a slippery step lands on one of P[s][a] with about its frequency', () => {
    const env = new FrozenLakeEnv();
    expect(env.reset({ seed: 1 })).toEqual({ obs: 0, info: { prob: 1 } });
    const counts = new Map<number, number>();
    for (let i = 0; i < 3000; i++) {
      env.state = 5 + 1; // cell 6: left → 5 (hole), 2 (up), 10 (down) for action 0
      const { obs, info } = env.step(0);
      expect(env.P[6]![0]!.some((t) => t[1] === obs && t[0] === info['prob'])).toBe(true);
      counts.set(obs, (counts.get(obs) ?? 0) + 1);
    }
    expect([...counts.keys()].sort((x, y) => x - y)).toEqual([2, 5, 10]);
    for (const c of counts.values()) expect(Math.abs(c / 3000 - 1 / 3)).toBeLessThan(0.04);
  });

  it('reproduces seeded slippery episodes and round-trips the state', () => {
    const run = (seed: number) => {
      const env = new FrozenLakeEnv();
      env.reset({ seed });
      const g = new Generator(99);
      return Array.from({ length: 30 }, () => env.step(g.nextBelow(4)).obs);
    };
    expect(run(3)).toEqual(run(3));
    const env = new FrozenLakeEnv({ map_name: '8x8' });
    env.state = 63;
    expect(env.state).toBe(63);
    expect(() => (env.state = 64)).toThrow('FrozenLake: state must be a cell in 0 … 63, got 64');
  });

  it('rejects bad maps and kwargs clearly', () => {
    expect(() => new FrozenLakeEnv({ desc: ['SF', 'F'] })).toThrow(/row 1 has 1/);
    expect(() => new FrozenLakeEnv({ desc: ['FF', 'FG'] })).toThrow(/no start cell/);
    expect(() => new FrozenLakeEnv({ map_name: '5x5' as '4x4' })).toThrow("FrozenLake: map_name must be '4x4' or '8x8', got '5x5'");
    expect(() => makeEnv('FrozenLake-v1', { slippery: false })).toThrow(/unexpected keyword argument 'slippery'/);
  });
});
