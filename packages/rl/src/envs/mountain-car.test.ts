import { describe, expect, it } from 'vitest';
import { gymnasiumParity } from '../../test/env-fixtures.js';
import { MountainCarEnv } from './mountain-car.js';

describe('MountainCar-v0 against Gymnasium', () => gymnasiumParity('MountainCar-v0'));

describe('MountainCarEnv', () => {
  it('resets reproducibly with x in [−0.6, −0.4] and v = 0', () => {
    expect(Array.from(new MountainCarEnv().reset({ seed: 3 }).obs)).toEqual(Array.from(new MountainCarEnv().reset({ seed: 3 }).obs));
    const env = new MountainCarEnv();
    env.reset({ seed: 0 });
    for (let i = 0; i < 50; i++) {
      const [x, v] = env.reset().obs;
      expect(x! >= Math.fround(-0.6) && x! <= Math.fround(-0.4) && v === 0).toBe(true);
    }
  });

  it('keeps a float64 state and round-trips it', () => {
    const env = new MountainCarEnv();
    env.reset({ seed: 0 });
    env.state = [-0.5, 0.01];
    expect(env.state).toEqual([-0.5, 0.01]);
    env.step(1);
    expect(env.state[1]).toBe(0.01 + (0 * 0.001 + Math.cos(3 * -0.5) * -0.0025));
  });
});
