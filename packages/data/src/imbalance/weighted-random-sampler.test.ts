import { describe, expect, it } from 'vitest';
import { Generator } from '@mapnn/core';
import { sampleWeights } from './class-weights.js';
import { WeightedRandomSampler } from './weighted-random-sampler.js';

describe('WeightedRandomSampler', () => {
  it('draws in proportion to the weights, reproducibly by seed', () => {
    const s = new WeightedRandomSampler([1, 0, 3], 40000, { seed: 7 });
    const counts = [0, 0, 0];
    for (const i of s) counts[i]!++;
    expect(counts[1]).toBe(0);
    expect(counts[2]! / counts[0]!).toBeGreaterThan(2.85);
    expect(counts[2]! / counts[0]!).toBeLessThan(3.15);
    const a = [...new WeightedRandomSampler([1, 2, 3], 20, { seed: 1 })];
    expect([...new WeightedRandomSampler([1, 2, 3], 20, { generator: new Generator(1) })]).toEqual(a);
  });

  it('balances an imbalanced label set with balanced sample weights', () => {
    const labels = [...Array(900).fill(0), ...Array(100).fill(1)];
    const counts = [0, 0];
    for (const i of new WeightedRandomSampler(sampleWeights(labels), 20000, { seed: 3 })) counts[labels[i]!]!++;
    expect(counts[1]! / 20000).toBeGreaterThan(0.47);
    expect(counts[1]! / 20000).toBeLessThan(0.53);
  });

  it('without replacement gives distinct indices with non-zero weight', () => {
    const got = [...new WeightedRandomSampler([5, 0, 1, 1, 1], 4, { replacement: false, seed: 2 })];
    expect(new Set(got).size).toBe(4);
    expect(got).not.toContain(1);
    expect(() => new WeightedRandomSampler([1, 0], 2, { replacement: false })).toThrow(/cannot draw 2 samples without replacement/);
    expect(() => new WeightedRandomSampler([1, -1], 2)).toThrow(/weight 1 is -1/);
  });
});
