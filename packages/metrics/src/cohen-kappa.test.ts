import { describe, expect, it } from 'vitest';
import { expectGolden, loadFixture, type Golden } from '../test/fixtures.js';
import { cohenKappaScore, CohenKappa } from './cohen-kappa.js';

describe('cohenKappaScore vs scikit-learn (fixtures/label_metrics.json)', () => {
  const { datasets, cases } = loadFixture('label_metrics');
  it.each(cases.map((c) => [c.data as string, c]))('%s', (name, c) => {
    const d = datasets[name];
    for (const v of c.kappa as Golden[]) {
      const opts = {
        weights: v.weights,
        ...(v.labels ? { labels: v.labels } : {}),
        ...(d.sampleWeight ? { sampleWeight: d.sampleWeight } : {}),
      };
      expectGolden(() => cohenKappaScore(d.yTrue, d.yPred, opts), v.value, `kappa ${v.weights} ${JSON.stringify(v.labels)}`);
    }
  });
});

describe('cohenKappaScore', () => {
  it('computes the documented examples', () => {
    expect(cohenKappaScore([0, 1, 1, 2], [0, 1, 2, 2])).toBeCloseTo(0.6363636363636364, 15);
    expect(cohenKappaScore([0, 1, 1, 2], [0, 1, 2, 2], { weights: 'quadratic' })).toBeCloseTo(0.8, 15);
    expect(() => cohenKappaScore([0, 1], [0, 1], { weights: 'cubic' as never })).toThrow(/weighting/);
  });

  it('streams', () => {
    const m = new CohenKappa({ weights: 'linear' });
    m.update([0, 1, 2], [0, 2, 2]);
    m.update([3, 1], [1, 1], [3, 0.5]);
    expect(m.compute()).toBe(cohenKappaScore([0, 1, 2, 3, 1], [0, 2, 2, 1, 1], { weights: 'linear', sampleWeight: [1, 1, 1, 3, 0.5] }));
  });
});
