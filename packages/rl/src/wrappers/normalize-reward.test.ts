import { describe, expect, it } from 'vitest';
import { ToyEnv } from '../../test/toy-env.js';
import { RunningMeanStd } from './running-mean-std.js';
import { NormalizeReward } from './normalize-reward.js';

describe('NormalizeReward', () => {
  it('divides each reward by the std of the discounted return, whose decay a terminating step drops (as Gymnasium)', () => {
    const gamma = 0.9;
    const env = new NormalizeReward(new ToyEnv({ length: 2 }), { gamma });
    const rms = new RunningMeanStd();
    let g = 0;
    env.reset();
    const rewards = [1, 2, 11, 12]; // two episodes of 2 steps
    for (let k = 0; k < 4; k++) {
      if (k === 2) env.reset();
      const s = env.step(0);
      // Gymnasium 1.x: G ← γ·G·(1 − terminated) + r, with this step's terminated flag
      g = (s.terminated ? 0 : g * gamma) + rewards[k];
      rms.update([g]);
      expect(s.reward).toBeCloseTo(rewards[k] / Math.sqrt(rms.var[0] + 1e-8), 12);
    }
    expect(env.returnRms.getState()).toEqual(rms.getState());
  });

  it('keeps the accumulator across truncation and reset (Gymnasium 1.x)', () => {
    const env = new NormalizeReward(new ToyEnv({ length: 1, truncate: true }), { gamma: 0.5 });
    env.reset();
    env.step(0); // r = 1
    env.reset();
    env.step(0); // r = 11
    expect(env.discountedReward).toBe(0.5 * 1 + 11);
  });

  it('freezes, saves and restores its statistics, and checks gamma and epsilon', () => {
    const env = new NormalizeReward(new ToyEnv({ length: 10 }));
    env.reset();
    env.step(0);
    env.step(0);
    env.updateRunningMean = false;
    const saved = env.getState();
    const s = env.step(0);
    expect(env.returnRms.getState()).toEqual(saved.returnRms);
    expect(s.reward).toBeCloseTo(3 / Math.sqrt(saved.returnRms.var[0] + 1e-8), 12);
    const other = new NormalizeReward(new ToyEnv());
    other.setState(saved);
    expect(other.getState()).toEqual(saved);
    expect(() => new NormalizeReward(new ToyEnv(), { gamma: 1.5 })).toThrow(/gamma must be in \[0, 1\]/);
    expect(() => new NormalizeReward(new ToyEnv(), { epsilon: -1 })).toThrow(/epsilon must be positive/);
  });
});
