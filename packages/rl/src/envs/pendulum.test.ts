import { describe, expect, it } from 'vitest';
import { gymnasiumParity } from '../../test/env-fixtures.js';
import { PendulumEnv } from './pendulum.js';
import { makeEnv } from './registry.js';

describe('Pendulum-v1 against Gymnasium', () => gymnasiumParity('Pendulum-v1'));

describe('PendulumEnv', () => {
  it('resets reproducibly with θ in [−π, π], θ̇ in [−1, 1] (or ±x_init, ±y_init)', () => {
    expect(Array.from(new PendulumEnv().reset({ seed: 2 }).obs)).toEqual(Array.from(new PendulumEnv().reset({ seed: 2 }).obs));
    const env = new PendulumEnv();
    env.reset({ seed: 0 });
    for (let i = 0; i < 50; i++) {
      env.reset();
      const [th, thDot] = env.state;
      expect(Math.abs(th!) <= Math.PI && Math.abs(thDot!) <= 1).toBe(true);
    }
    env.reset({ options: { x_init: 0.1, y_init: 0.2 } });
    expect(Math.abs(env.state[0]!) <= 0.1 && Math.abs(env.state[1]!) <= 0.2).toBe(true);
    expect(() => env.reset({ options: { x_init: 'far' } })).toThrow('Pendulum.reset: options.x_init (far) is not a number');
  });

  it('round-trips [θ, θ̇] and takes the g kwarg', () => {
    const env = new PendulumEnv();
    env.state = [0.25, -0.5];
    expect(env.state).toEqual([0.25, -0.5]);
    expect((makeEnv('Pendulum-v1', { g: 9.81 }).unwrapped as PendulumEnv).g).toBe(9.81);
    expect(() => makeEnv('Pendulum-v1', { gravity: 9.81 })).toThrow("Pendulum-v1: unexpected keyword argument 'gravity' (it takes: g)");
  });
});
