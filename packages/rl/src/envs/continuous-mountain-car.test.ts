import { describe, expect, it } from 'vitest';
import { gymnasiumParity } from '../../test/env-fixtures.js';
import { ContinuousMountainCarEnv } from './continuous-mountain-car.js';

describe('MountainCarContinuous-v0 against Gymnasium', () => gymnasiumParity('MountainCarContinuous-v0'));

describe('ContinuousMountainCarEnv', () => {
  it('resets reproducibly with x in [−0.6, −0.4] and v = 0', () => {
    const a = new ContinuousMountainCarEnv().reset({ seed: 5 }).obs;
    expect(Array.from(a)).toEqual(Array.from(new ContinuousMountainCarEnv().reset({ seed: 5 }).obs));
    expect(a[0]! >= Math.fround(-0.6) && a[0]! <= Math.fround(-0.4) && a[1] === 0).toBe(true);
  });

  it('stores the stepped state in float32, as Gymnasium, and pays 100 at the goal', () => {
    const env = new ContinuousMountainCarEnv();
    env.reset({ seed: 0 });
    env.state = [0.44, 0.05];
    const r = env.step(Float32Array.of(0.5));
    expect(r.terminated).toBe(true);
    expect(r.reward).toBeCloseTo(100 - 0.025, 12);
    expect(env.state.every((v) => Math.fround(v) === v)).toBe(true);
    expect(Array.from(r.obs)).toEqual(env.state);
  });
});
