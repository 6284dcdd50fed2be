import { describe, expect, it } from 'vitest';
import { Discrete } from '../spaces/discrete.js';
import type { Env, ResetResult, StepResult } from '../types.js';
import { stateOf } from '../../test/env-fixtures.js';
import { CartPoleEnv } from './cartpole.js';
import { OrderEnforcing } from './order-enforcing.js';
import { envIds, envSpec, makeEnv, registerEnv } from './registry.js';
import { TimeLimit } from './time-limit.js';
import { Wrapper } from './wrapper.js';

/** A one-state env that never ends by itself. */
class Idle implements Env<number, number> {
  readonly observationSpace = new Discrete(1);
  readonly actionSpace = new Discrete(2);
  closed = false;
  constructor(readonly kwargs: Record<string, unknown>) {}
  get unwrapped(): Env {
    return this;
  }
  reset(): ResetResult<number> {
    return { obs: 0, info: {} };
  }
  step(): StepResult<number> {
    return { obs: 0, reward: 1, terminated: false, truncated: false, info: {} };
  }
  close(): void {
    this.closed = true;
  }
}

describe('registry', () => {
  it('lists the built-ins with their Gymnasium specs', () => {
    expect(envIds()).toEqual(expect.arrayContaining(['Acrobot-v1', 'CartPole-v1', 'FrozenLake-v1', 'FrozenLake8x8-v1', 'MountainCar-v0', 'MountainCarContinuous-v0', 'Pendulum-v1']));
    expect(envSpec('FrozenLake-v1')).toEqual({ id: 'FrozenLake-v1', maxEpisodeSteps: 100, rewardThreshold: 0.7, kwargs: { map_name: '4x4' } });
    expect(makeEnv('CartPole-v1').spec?.id).toBe('CartPole-v1');
  });

  it('names the known ids for an unknown one', () => {
    expect(() => makeEnv('Nope-v0')).toThrow(/makeEnv: no environment 'Nope-v0' is registered; known ids: Acrobot-v1, CartPole-v1/);
    expect(() => envSpec('Nope-v0')).toThrow(/envSpec: no environment 'Nope-v0'/);
  });

  it('registers user envs with default kwargs that makeEnv kwargs override', () => {
    registerEnv('Idle-v0', (kw) => new Idle(kw), { maxEpisodeSteps: 3, kwargs: { a: 1, b: 2 } });
    expect(envIds()).toContain('Idle-v0');
    const env = makeEnv('Idle-v0', { b: 3 });
    expect((env.unwrapped as Idle).kwargs).toEqual({ a: 1, b: 3 });
    expect(env.spec?.kwargs).toEqual({ a: 1, b: 3 });
    expect(() => registerEnv('Bad-v0', (kw) => new Idle(kw), { maxEpisodeSteps: 0 })).toThrow("registerEnv('Bad-v0'): maxEpisodeSteps must be a positive integer, got 0");
    registerEnv('Broken-v0', () => undefined as unknown as Env);
    expect(() => makeEnv('Broken-v0')).toThrow("makeEnv('Broken-v0'): the registered factory returned undefined, not an Env");
  });

  it('wraps order enforcing inside the time limit, both forwarding to the env', () => {
    const env = makeEnv('Idle-v0');
    expect(env).toBeInstanceOf(TimeLimit);
    expect((env as TimeLimit).env).toBeInstanceOf(OrderEnforcing);
    expect(env.unwrapped).toBeInstanceOf(Idle);
    expect(env.actionSpace.toString()).toBe('Discrete(2)');
    env.close();
    expect((env.unwrapped as Idle).closed).toBe(true);
    expect(makeEnv('Idle-v0', {}, { maxEpisodeSteps: 7 }).spec?.maxEpisodeSteps).toBe(7);
  });
});

describe('order enforcing and time limit', () => {
  it('rejects step before reset, after termination and outside the action space', () => {
    const env = makeEnv('CartPole-v1');
    expect(() => env.step(0)).toThrow('CartPole-v1: step() called before reset()');
    env.reset({ seed: 1 });
    expect(() => env.step(2)).toThrow('CartPole-v1: action 2 is not in the action space Discrete(2)');
    expect(() => env.step(0.5)).toThrow('CartPole-v1: action 0.5 is not in the action space Discrete(2)');
    stateOf(env).state = [3, 0, 0, 0];
    expect(env.step(0).terminated).toBe(true);
    expect(() => env.step(0)).toThrow('CartPole-v1: step() called after the episode ended (terminated); call reset() first');
    env.reset();
    expect(() => env.step(1)).not.toThrow();
    const box = makeEnv('Pendulum-v1');
    box.reset({ seed: 0 });
    expect(() => box.step(Float32Array.of(2.5))).toThrow('Pendulum-v1: action [2.5] is not in the action space Box(-2.0, 2.0, (1,), float32)');
  });

  it('disableEnvChecker lets out-of-space actions through', () => {
    const env = makeEnv('Pendulum-v1', {}, { disableEnvChecker: true });
    env.reset({ seed: 0 });
    expect(() => env.step(Float32Array.of(2.5))).not.toThrow();
  });

  it('truncates on the step that reaches the limit, then requires reset', () => {
    const env = makeEnv('Pendulum-v1');
    env.reset({ seed: 0 });
    let t = 0;
    let r: StepResult;
    do (r = env.step(Float32Array.of(0))), t++;
    while (!r.truncated);
    expect(t).toBe(200);
    expect(r.terminated).toBe(false);
    expect(() => env.step(Float32Array.of(0))).toThrow('Pendulum-v1: step() called after the episode was truncated at its time limit (200 steps); call reset() first');
    env.reset();
    expect(env.step(Float32Array.of(0)).truncated).toBe(false);
    const short = new TimeLimit(new CartPoleEnv(), 2);
    short.reset({ seed: 0 });
    expect([short.step(0).truncated, short.step(0).truncated]).toEqual([false, true]);
    expect(() => new TimeLimit(new CartPoleEnv(), 0)).toThrow('TimeLimit: maxEpisodeSteps must be a positive integer, got 0');
  });

  it('Wrapper forwards everything and subclasses change what they override', () => {
    class Doubled extends Wrapper {
      override step(a: number): StepResult {
        const r = super.step(a);
        return { ...r, reward: 2 * r.reward };
      }
    }
    const inner = makeEnv('CartPole-v1');
    const env = new Doubled(inner);
    expect(env.unwrapped).toBe(inner.unwrapped);
    expect(env.spec?.id).toBe('CartPole-v1');
    expect(env.metadata).toEqual({ render_fps: 50 });
    env.reset({ seed: 0 });
    expect(env.step(1).reward).toBe(2);
  });
});
