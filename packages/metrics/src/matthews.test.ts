import { describe, expect, it } from 'vitest';
import { expectGolden, loadFixture } from '../test/fixtures.js';
import { matthewsCorrcoef, MatthewsCorrcoef } from './matthews.js';

describe('matthewsCorrcoef vs scikit-learn (fixtures/label_metrics.json)', () => {
  const { datasets, cases } = loadFixture('label_metrics');
  it.each(cases.map((c) => [c.data as string, c]))('%s', (name, c) => {
    const d = datasets[name];
    expectGolden(() => matthewsCorrcoef(d.yTrue, d.yPred, d.sampleWeight ? { sampleWeight: d.sampleWeight } : {}), c.mcc, 'mcc');
  });
});

describe('matthewsCorrcoef', () => {
  it('computes the documented examples and 0 when undefined', () => {
    expect(matthewsCorrcoef([1, 1, 1, 0], [1, 0, 1, 1])).toBeCloseTo(-1 / 3, 15);
    expect(matthewsCorrcoef([0, 1, 2, 2], [0, 2, 2, 1])).toBeCloseTo(0.2, 15);
    expect(matthewsCorrcoef([1, 1], [1, 1])).toBe(0);
  });

  it('streams', () => {
    const m = new MatthewsCorrcoef();
    m.update([0, 1, 2], [0, 2, 2]);
    m.update([2, 1], [1, 1], [3, 0.5]);
    expect(m.compute()).toBe(matthewsCorrcoef([0, 1, 2, 2, 1], [0, 2, 2, 1, 1], { sampleWeight: [1, 1, 1, 3, 0.5] }));
  });
});
