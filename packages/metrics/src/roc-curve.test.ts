import '@mapnn/backend-cpu';
import { setBackend, tensor } from '@mapnn/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectGolden, loadFixture } from '../test/fixtures.js';
import { auc } from './curve-core.js';
import { rocCurve, RocCurve } from './roc-curve.js';
import { setWarningHandler } from './warnings.js';

beforeAll(() => setBackend('cpu'));

describe('rocCurve vs scikit-learn 1.2 (fixtures/curves.json)', () => {
  const { cases } = loadFixture('curves');
  it.each(cases.map((c) => [c.data as string, c]))('%s', (_, c) => {
    const opts = { posLabel: c.posLabel, ...(c.sampleWeight ? { sampleWeight: c.sampleWeight } : {}) };
    const prev = setWarningHandler(null);
    try {
      expectGolden(() => rocCurve(c.yTrue, c.yScore, opts), c.roc, 'roc');
      expectGolden(() => rocCurve(c.yTrue, c.yScore, { ...opts, dropIntermediate: false }), c.rocAll, 'roc (all thresholds)');
    } finally {
      setWarningHandler(prev);
    }
  });
});

describe('rocCurve', () => {
  it('computes the documented example', () => {
    expect(rocCurve([1, 1, 2, 2], [0.1, 0.4, 0.35, 0.8], { posLabel: 2 })).toEqual({
      fpr: [0, 0, 0.5, 0.5, 1],
      tpr: [0, 0.5, 0.5, 1, 1],
      thresholds: [1.8, 0.8, 0.4, 0.35, 0.1],
    });
  });

  it('merges tied scores into one point', () => {
    const r = rocCurve([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5]);
    expect(r).toEqual({ fpr: [0, 1], tpr: [0, 1], thresholds: [1.5, 0.5] });
  });

  it('needs posLabel for other labels, finite scores', () => {
    expect(() => rocCurve(['a', 'b'], [0.1, 0.2])).toThrow(/posLabel/);
    expect(() => rocCurve([0, 1], [0.1, NaN])).toThrow(/NaN/);
    expect(() => rocCurve([0, 1, 2], [0.1, 0.2, 0.3])).toThrow(/multiclass/);
  });

  it('reads tensors, [n, 2] probabilities and streams', () => {
    const y = [0, 1, 1, 0, 1, 0];
    const p1 = [0.1, 0.9, 0.4, 0.4, 0.8, 0.3];
    const expected = rocCurve(y, p1);
    expect(rocCurve(tensor(y, undefined, 'int32'), tensor(p1.map((p) => [1 - p, p]), undefined, 'float64'))).toEqual(expected);
    const m = new RocCurve();
    m.update(y.slice(0, 2), p1.slice(0, 2));
    m.update(tensor(y.slice(2)), p1.slice(2));
    expect(m.compute()).toEqual(expected);
  });

  it('auc integrates either direction and rejects non-monotonic x', () => {
    expect(auc([0, 0.5, 1], [0, 0.75, 1])).toBe(0.625);
    expect(auc([1, 0.5, 0], [1, 0.75, 0])).toBe(0.625);
    expect(() => auc([0, 1, 0.5], [0, 1, 1])).toThrow(/neither/);
  });
});
