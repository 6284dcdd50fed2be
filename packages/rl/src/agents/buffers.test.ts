import '@mapnn/backend-cpu';
import { Generator } from '@mapnn/core';
import { describe, expect, it } from 'vitest';
import { NStepAccumulator } from './n-step.js';
import { PrioritizedReplayBuffer } from './prioritized-replay.js';
import { ReplayBuffer } from './replay-buffer.js';

const v = (...xs: number[]) => Float32Array.from(xs);

describe('ReplayBuffer', () => {
  it('overwrites the oldest transitions and samples only filled slots', () => {
    const buf = new ReplayBuffer(3, 1, 1);
    for (let i = 0; i < 5; i++) buf.add(v(i), v(0), i, v(i + 1), 0.9);
    expect(buf.size).toBe(3);
    const seen = new Set(Array.from(buf.sample(200, new Generator(1)).rewards));
    expect([...seen].sort()).toEqual([2, 3, 4]);
  });

  it('round-trips its state', () => {
    const a = new ReplayBuffer(4, 2, 1);
    a.add(v(1, 2), v(1), 3, v(4, 5), 0);
    const b = new ReplayBuffer(4, 2, 1);
    b.setState(a.getState());
    expect(Array.from(b.gather(Int32Array.of(0), v(1)).nextObs)).toEqual([4, 5]);
    expect(() => new ReplayBuffer(5, 2, 1).setState(a.getState())).toThrow(/capacity 4/);
  });

  it('rejects transitions of the wrong width', () => {
    expect(() => new ReplayBuffer(2, 3, 1).add(v(1), v(0), 0, v(1), 1)).toThrow(/expected observations of 3/);
  });
});

describe('PrioritizedReplayBuffer', () => {
  it('samples in proportion to priority^alpha and weights by (N·P)^-beta', () => {
    const buf = new PrioritizedReplayBuffer(4, 1, 1, { alpha: 1, epsilon: 0 });
    for (let i = 0; i < 4; i++) buf.add(v(i), v(0), i, v(i), 1);
    buf.updatePriorities([0, 1, 2, 3], [1, 1, 2, 4]);
    expect(buf.probability(3)).toBeCloseTo(0.5, 12);
    const counts = [0, 0, 0, 0];
    const g = new Generator(3);
    for (let r = 0; r < 400; r++) for (const i of buf.sample(8, g).indices) counts[i]!++;
    expect(counts[3]! / 3200).toBeGreaterThan(0.45);
    expect(counts[3]! / 3200).toBeLessThan(0.55);
    const batch = buf.sample(64, g, 1);
    // beta 1: weight ∝ 1/P, normalised by the max (the rarest transition has weight 1)
    for (let b = 0; b < 64; b++) expect(batch.weights[b]).toBeCloseTo(buf.probability(0) / buf.probability(batch.indices[b]!), 5);
  });

  it('refuses a non-finite TD error', () => {
    const buf = new PrioritizedReplayBuffer(2, 1, 1);
    buf.add(v(0), v(0), 0, v(0), 1);
    expect(() => buf.updatePriorities([0], [NaN])).toThrow(/not finite/);
  });
});

describe('NStepAccumulator', () => {
  it('folds n rewards and bootstraps with gamma^n', () => {
    const acc = new NStepAccumulator(3, 0.5);
    expect(acc.push(v(0), v(0), 1, v(1), false, false)).toEqual([]);
    expect(acc.push(v(1), v(0), 1, v(2), false, false)).toEqual([]);
    const [t] = acc.push(v(2), v(0), 1, v(3), false, false);
    expect(t!.reward).toBeCloseTo(1.75);
    expect(t!.discount).toBeCloseTo(0.125);
    expect(Array.from(t!.obs)).toEqual([0]);
    expect(Array.from(t!.nextObs)).toEqual([3]);
  });

  it('flushes at the end: terminated gives discount 0, truncated keeps the bootstrap', () => {
    const term = new NStepAccumulator(3, 0.5);
    term.push(v(0), v(0), 1, v(1), false, false);
    const done = term.push(v(1), v(0), 2, v(2), true, false);
    expect(done.map((t) => [t.reward, t.discount])).toEqual([[2, 0], [2, 0]]);
    const trunc = new NStepAccumulator(3, 0.5);
    trunc.push(v(0), v(0), 1, v(1), false, false);
    const cut = trunc.push(v(1), v(0), 2, v(2), false, true);
    expect(cut.map((t) => [t.reward, t.discount])).toEqual([[2, 0.25], [2, 0.5]]);
    expect(Array.from(cut[0]!.nextObs)).toEqual([2]);
  });
});
