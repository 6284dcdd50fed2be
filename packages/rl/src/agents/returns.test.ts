import { describe, expect, it } from 'vitest';
import { computeGae, discountedReturns } from './gae.js';
import { linearSchedule } from './schedule.js';
import { standardize } from './standardize.js';

describe('computeGae', () => {
  it('matches the recursion by hand, bootstrapping truncation from the next observation value', () => {
    // one env, 3 steps: step 1 truncated (its next value 5 is the final observation's), step 2 runs on
    const { advantages, returns } = computeGae({
      steps: 3, envs: 1, rewards: [1, 1, 1], values: [0.5, 0.25, 5], lastValues: [2],
      terminations: [0, 0, 0], dones: [0, 1, 0], gamma: 0.9, lambda: 0.8,
    });
    const d2 = 1 + 0.9 * 2 - 5;
    const d1 = 1 + 0.9 * 5 - 0.25; // bootstraps from V(final obs) = 5, the chain stops here
    const d0 = 1 + 0.9 * 0.25 - 0.5;
    expect(advantages[2]).toBeCloseTo(d2, 5);
    expect(advantages[1]).toBeCloseTo(d1, 5);
    expect(advantages[0]).toBeCloseTo(d0 + 0.9 * 0.8 * d1, 5);
    expect(returns[1]).toBeCloseTo(d1 + 0.25, 5);
  });

  it('drops the bootstrap on termination and keeps envs apart', () => {
    const { advantages } = computeGae({
      steps: 2, envs: 2, rewards: [1, 0, 1, 0], values: [0, 0, 3, 3], lastValues: [7, 7],
      terminations: [1, 0, 0, 0], dones: [1, 0, 0, 0], gamma: 1, lambda: 1,
    });
    expect(advantages[0]).toBeCloseTo(1, 6); // env 0 terminated: no V(next)
    expect(advantages[1]).toBeCloseTo(0 + 3 - 0 + (0 + 7 - 3), 6);
  });

  it('checks lengths', () => {
    expect(() => computeGae({ steps: 2, envs: 1, rewards: [1], values: [0, 0], lastValues: [0], terminations: [0, 0], dones: [0, 0], gamma: 1, lambda: 1 })).toThrow(/2 × 1/);
  });
});

describe('helpers', () => {
  it('discountedReturns starts from the bootstrap', () => {
    expect(Array.from(discountedReturns([1, 1, 1], 0.5))).toEqual([1.75, 1.5, 1]);
    expect(Array.from(discountedReturns([1], 0.5, 4))).toEqual([3]);
  });

  it('linearSchedule holds its end value after the fraction', () => {
    const s = linearSchedule(1, 0.05, 0.1);
    expect(s(0)).toBe(1);
    expect(s(0.05)).toBeCloseTo(0.525);
    expect(s(0.5)).toBe(0.05);
    expect(() => linearSchedule(1, 0, 0)).toThrow(/positive/);
  });

  it('standardize gives mean 0 and unbiased std 1', () => {
    const z = standardize(Float32Array.of(1, 2, 3, 10));
    const m = z.reduce((a, b) => a + b, 0) / 4;
    expect(m).toBeCloseTo(0, 6);
    expect(Math.sqrt(z.reduce((a, b) => a + (b - m) ** 2, 0) / 3)).toBeCloseTo(1, 5);
  });
});
