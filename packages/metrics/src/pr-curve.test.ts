import { describe, expect, it } from 'vitest';
import { expectGolden, loadFixture } from '../test/fixtures.js';
import { precisionRecallCurve, PrecisionRecallCurve } from './pr-curve.js';
import { setWarningHandler } from './warnings.js';

describe('precisionRecallCurve vs scikit-learn 1.2 (fixtures/curves.json)', () => {
  const { cases } = loadFixture('curves');
  it.each(cases.map((c) => [c.data as string, c]))('%s', (_, c) => {
    const opts = { posLabel: c.posLabel, ...(c.sampleWeight ? { sampleWeight: c.sampleWeight } : {}) };
    const prev = setWarningHandler(null);
    try {
      expectGolden(() => precisionRecallCurve(c.yTrue, c.yScore, opts), c.pr, 'pr');
    } finally {
      setWarningHandler(prev);
    }
  });
});

describe('precisionRecallCurve', () => {
  it('computes the documented example', () => {
    const r = precisionRecallCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
    expect(r.precision).toEqual([0.5, 2 / 3, 0.5, 1, 1]);
    expect(r.recall).toEqual([1, 1, 0.5, 0.5, 0]);
    expect(r.thresholds).toEqual([0.1, 0.35, 0.4, 0.8]);
  });

  it('streams', () => {
    const m = new PrecisionRecallCurve({ posLabel: 'spam' });
    m.update(['spam', 'ham'], [0.9, 0.2], [1, 2]);
    m.update(['ham', 'spam', 'spam'], [0.9, 0.2, 0.5]);
    expect(m.compute()).toEqual(
      precisionRecallCurve(['spam', 'ham', 'ham', 'spam', 'spam'], [0.9, 0.2, 0.9, 0.2, 0.5], { posLabel: 'spam', sampleWeight: [1, 2, 1, 1, 1] }),
    );
  });
});
