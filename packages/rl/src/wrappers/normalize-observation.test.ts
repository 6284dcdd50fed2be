import { describe, expect, it } from 'vitest';
import { ToyEnv } from '../../test/toy-env.js';
import { NormalizeObservation } from './normalize-observation.js';

describe('NormalizeObservation', () => {
  it('normalizes with the statistics updated by the observation itself', () => {
    const env = new NormalizeObservation(new ToyEnv({ length: 10 }));
    const first = env.reset().obs as Float32Array;
    // one observation [0, 0, -1] after the prior (mean 0, var 1, count 1e-4)
    expect(first).toBeInstanceOf(Float32Array);
    expect(first[0]).toBe(0);
    const mean = -1 / 1.0001;
    const v = (1e-4 + (1e-4 * 1) / 1.0001) / 1.0001;
    expect(first[2]).toBeCloseTo((-1 - mean) / Math.sqrt(v + 1e-8), 3);
    expect(env.obsRms.count).toBeCloseTo(1.0001, 12);
    expect(env.observationSpace.toString()).toBe('Box(-inf, inf, (3,), float32)');
  });

  it('freezes the statistics when updateRunningMean is false, and restores a saved state', () => {
    const env = new NormalizeObservation(new ToyEnv({ length: 10 }));
    env.reset();
    for (let i = 0; i < 4; i++) env.step(1);
    const saved = env.getState();
    env.updateRunningMean = false;
    const a = env.step(2).obs as Float32Array;
    const b = env.step(2).obs as Float32Array;
    expect(env.getState()).toEqual(saved);
    // t grows by one per step; with frozen statistics the normalized t grows by 1 / std
    expect(b[1] - a[1]).toBeCloseTo(1 / Math.sqrt(saved.var[1] + 1e-8), 4);
    env.updateRunningMean = true;
    env.step(2);
    expect(env.getState().count).toBeCloseTo(saved.count + 1, 9);
    const other = new NormalizeObservation(new ToyEnv());
    other.setState(saved);
    expect(other.obsRms.getState()).toEqual(saved);
  });

  it('rejects non-Box observation spaces and a non-positive epsilon', () => {
    expect(() => new NormalizeObservation(new ToyEnv(), { epsilon: 0 })).toThrow(/epsilon must be positive/);
    const env = new ToyEnv();
    Object.defineProperty(env, 'observationSpace', { value: env.actionSpace });
    expect(() => new NormalizeObservation(env)).toThrow(/NormalizeObservation: expected a Box observation space, got Discrete\(3\)/);
  });
});
