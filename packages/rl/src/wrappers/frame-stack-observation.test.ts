import { describe, expect, it } from 'vitest';
import { ToyEnv, toyBox } from '../../test/toy-env.js';
import { FrameStackObservation } from './frame-stack-observation.js';

const rows = (obs: unknown) => {
  const a = Array.from(obs as Float32Array);
  return Array.from({ length: a.length / 3 }, (_, i) => a.slice(3 * i, 3 * i + 3));
};

describe('FrameStackObservation', () => {
  it("pads with the reset observation by default and rolls oldest-first", () => {
    const env = new FrameStackObservation(new ToyEnv({ length: 5 }), 3);
    expect(env.observationSpace.shape).toEqual([3, 3]);
    expect(rows(env.reset().obs)).toEqual([[0, 0, -1], [0, 0, -1], [0, 0, -1]]);
    expect(rows(env.step(1).obs)).toEqual([[0, 0, -1], [0, 0, -1], [0, 1, 1]]);
    expect(rows(env.step(2).obs)).toEqual([[0, 0, -1], [0, 1, 1], [0, 2, 2]]);
    expect(rows(env.step(0).obs)).toEqual([[0, 1, 1], [0, 2, 2], [0, 3, 0]]);
    // a reset forgets the old episode
    expect(rows(env.reset().obs)).toEqual([[1, 0, -1], [1, 0, -1], [1, 0, -1]]);
  });

  it("pads with zeros moved into the bounds for 'zero', or with a given observation", () => {
    const zero = new FrameStackObservation(new ToyEnv(), 2, { padding: 'zero' });
    expect(rows(zero.reset().obs)).toEqual([[0, 0, 0], [0, 0, -1]]);
    const inner = new ToyEnv();
    Object.defineProperty(inner, 'observationSpace', { value: toyBox([1, -5, -5], [9, -2, 5]) });
    const bounded = new FrameStackObservation(inner, 2, { padding: 'zero' });
    expect(rows(bounded.reset().obs)[0]).toEqual([1, -2, 0]);
    const custom = new FrameStackObservation(new ToyEnv(), 2, { padding: Float32Array.of(7, 7, 7) });
    expect(rows(custom.reset().obs)).toEqual([[7, 7, 7], [0, 0, -1]]);
  });

  it('stacks the bounds into its observation space and checks its arguments', () => {
    const env = new FrameStackObservation(new ToyEnv(), 2);
    expect(Array.from(env.observationSpace.kind === 'box' ? env.observationSpace.low : [])).toEqual([0, 0, -1, 0, 0, -1]);
    expect(() => new FrameStackObservation(new ToyEnv(), 0)).toThrow(/stackSize must be a positive integer/);
    expect(() => new FrameStackObservation(new ToyEnv(), 2, { padding: 'same' as never })).toThrow(/padding must be 'reset', 'zero'/);
    expect(() => env.step(0)).toThrow(/call reset\(\) before step\(\)/);
  });
});
