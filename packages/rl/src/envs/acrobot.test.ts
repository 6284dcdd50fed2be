import { describe, expect, it } from 'vitest';
import { gymnasiumParity } from '../../test/env-fixtures.js';
import { AcrobotEnv } from './acrobot.js';
import { rk4 } from './rk4.js';

describe('Acrobot-v1 against Gymnasium', () => gymnasiumParity('Acrobot-v1'));

describe('AcrobotEnv', () => {
  it('resets reproducibly inside ±0.1, with a float32-rounded state (as Gymnasium)', () => {
    const a = new AcrobotEnv();
    const b = new AcrobotEnv();
    expect(Array.from(a.reset({ seed: 4 }).obs)).toEqual(Array.from(b.reset({ seed: 4 }).obs));
    for (let i = 0; i < 50; i++) {
      a.reset();
      expect(a.state.every((v) => Math.abs(v) <= 0.1 && Math.fround(v) === v)).toBe(true);
    }
  });

  it('round-trips the state [θ1, θ2, dθ1, dθ2] and terminates with reward 0 above the bar', () => {
    const env = new AcrobotEnv();
    env.reset({ seed: 0 });
    env.state = [0.5, -0.25, 1.5, -2];
    expect(env.state).toEqual([0.5, -0.25, 1.5, -2]);
    env.state = [Math.PI, 0, 0, 0];
    expect(env.step(1)).toMatchObject({ reward: 0, terminated: true });
    expect(() => (env.state = [0, 0])).toThrow(/4 values/);
  });

  it('rk4 integrates y′ = y to e^dt within RK4 accuracy', () => {
    const [y] = rk4((v) => [v[0]!], [1], 0.1);
    expect(Math.abs(y! - Math.exp(0.1))).toBeLessThan(1e-7);
  });
});
