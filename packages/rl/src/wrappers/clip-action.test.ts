import { describe, expect, it } from 'vitest';
import type { Env, SpaceValue, StepResult } from '../types.js';
import { ToyEnv, toyBox } from '../../test/toy-env.js';
import { ClipAction } from './clip-action.js';
import { TransformReward } from './transform-reward.js';

/** A toy env with a Box action space that records the actions it gets. */
function boxActionEnv(): { env: Env; got: SpaceValue[] } {
  const inner = new ToyEnv();
  const got: SpaceValue[] = [];
  Object.defineProperty(inner, 'actionSpace', { value: toyBox([-2, 0], [2, 1]) });
  Object.defineProperty(inner, 'step', {
    value: (a: SpaceValue): StepResult => {
      got.push(a);
      return { obs: Float32Array.of(0, 1, 0), reward: 1, terminated: false, truncated: false, info: {} };
    },
  });
  return { env: inner, got };
}

describe('ClipAction and TransformReward', () => {
  it('clips Box actions into the bounds and widens the action space', () => {
    const { env, got } = boxActionEnv();
    const clipped = new ClipAction(env);
    clipped.step(Float32Array.of(5, -3));
    clipped.step(Float32Array.of(-0.5, 0.25));
    expect(got.map((a) => Array.from(a as Float32Array))).toEqual([[2, 0], [-0.5, 0.25]]);
    expect(clipped.actionSpace.toString()).toBe('Box(-inf, inf, (2,), float32)');
    expect(() => clipped.step(Float32Array.of(1))).toThrow(/ClipAction: expected an action of 2 values, got 1/);
    expect(() => new ClipAction(new ToyEnv())).toThrow(/expected a Box action space, got Discrete\(3\)/);
  });

  it('transforms every reward', () => {
    const env = new TransformReward(new ToyEnv(), (r) => -2 * r);
    env.reset();
    expect(env.step(0).reward).toBe(-2);
    expect(env.step(0).reward).toBe(-4);
  });
});
