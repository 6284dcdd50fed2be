import { describe, expect, it } from 'vitest';
import { makeEnv } from '../envs/index.js';
import { expectClose, loadVectorFixture } from '../../test/vector-fixtures.js';
import { NormalizeObservation } from './normalize-observation.js';
import { NormalizeReward } from './normalize-reward.js';

interface NormalizeFixture {
  resetOptions: { low: number; high: number };
  state: number[];
  actions: number[];
  terminatedAt: number;
  normalizeObservation: { resetObs: number[]; obs: number[][]; mean: number[]; var: number[]; count: number };
  normalizeReward: { gamma: number; rewards: number[]; var: number; count: number; discountedReward: number };
}

const fixture = loadVectorFixture<NormalizeFixture>('vector-normalize.json');

/** Resets `env` to the fixture's deterministic start, then writes the fixture's state. */
function start<E extends NormalizeObservation | NormalizeReward>(env: E): { env: E; resetObs: Float32Array } {
  const { obs } = env.reset({ seed: 0, options: fixture.resetOptions });
  (env.unwrapped as unknown as { state: number[] }).state = fixture.state;
  return { env, resetObs: obs as Float32Array };
}

describe('normalization wrappers against Gymnasium (CartPole-v1)', () => {
  it('NormalizeObservation reproduces the normalized observations and the statistics', () => {
    const want = fixture.normalizeObservation;
    const { env, resetObs } = start(new NormalizeObservation(makeEnv('CartPole-v1')));
    // the statistics are kept in float32 with NumPy's rounding, so the values agree to the bit;
    // 1e-5 relative with no absolute slack still fails float64 statistics (3e-4 off near zero)
    expectClose(resetObs, want.resetObs, 'reset obs', 1e-5, 0);
    fixture.actions.forEach((a, t) => {
      const s = env.step(a);
      expectClose(s.obs as Float32Array, want.obs[t], `step ${t} obs`, 1e-5, 0);
      expect(s.terminated).toBe(t === fixture.terminatedAt - 1);
    });
    expectClose(env.obsRms.mean, want.mean, 'mean', 1e-5, 0);
    expectClose(env.obsRms.var, want.var, 'var', 1e-5, 0);
    expect(env.obsRms.count).toBeCloseTo(want.count, 9);
  });

  it('NormalizeObservation with frozen statistics no longer matches (the freeze is real)', () => {
    const { env } = start(new NormalizeObservation(makeEnv('CartPole-v1')));
    env.updateRunningMean = false;
    const s = env.step(fixture.actions[0]);
    expect(Math.abs((s.obs as Float32Array)[1] - fixture.normalizeObservation.obs[0][1])).toBeGreaterThan(1e-3);
    expect(env.obsRms.count).toBeCloseTo(1.0001, 12);
  });

  it('NormalizeReward reproduces the scaled rewards and the return statistics', () => {
    const want = fixture.normalizeReward;
    const { env } = start(new NormalizeReward(makeEnv('CartPole-v1'), { gamma: want.gamma }));
    const rewards = fixture.actions.map((a) => env.step(a).reward);
    expectClose(rewards, want.rewards, 'rewards', 1e-9, 0);
    expect(env.returnRms.var[0]).toBeCloseTo(want.var, 9);
    expect(env.returnRms.count).toBeCloseTo(want.count, 9);
    expect(env.discountedReward).toBe(want.discountedReward);
  });
});
