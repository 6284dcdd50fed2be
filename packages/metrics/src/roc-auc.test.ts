import '@mapnn/backend-cpu';
import { setBackend, tensor } from '@mapnn/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectGolden, loadFixture, type Golden } from '../test/fixtures.js';
import { rocAucScore, RocAuc } from './roc-auc.js';
import { setWarningHandler } from './warnings.js';

beforeAll(() => setBackend('cpu'));

describe('rocAucScore vs scikit-learn (fixtures/curves.json, multiclass_scores.json)', () => {
  const binary = loadFixture('curves').cases;
  it.each(binary.map((c) => [c.data as string, c]))('binary %s', (_, c) => {
    const w = c.sampleWeight ? { sampleWeight: c.sampleWeight } : {};
    const prev = setWarningHandler(null);
    try {
      expectGolden(() => rocAucScore(c.yTrue, c.yScore, w), c.rocAuc, 'auc');
      for (const v of c.rocAucMaxFpr as Golden[]) {
        expectGolden(() => rocAucScore(c.yTrue, c.yScore, { ...w, maxFpr: v.maxFpr }), v.value, `auc maxFpr=${v.maxFpr}`);
      }
    } finally {
      setWarningHandler(prev);
    }
  });
  const multi = loadFixture('multiclass_scores').cases;
  it.each(multi.map((c) => [c.data as string, c]))('multi-class / multi-label %s', (_, c) => {
    for (const v of c.rocAuc as Golden[]) {
      const opts = { average: v.average, multiClass: v.multiClass, ...(v.weighted ? { sampleWeight: c.sampleWeight } : {}) };
      expectGolden(() => rocAucScore(c.yTrue, c.yScore, opts), v.value, `auc ${v.multiClass} ${v.average}`);
    }
    if (c.labelsExtra) {
      // a class listed in `labels` that never occurs: one-vs-rest is undefined, one-vs-one skips it
      expectGolden(() => rocAucScore(c.yTrue, c.yScoreExtra, { labels: c.labelsExtra }), c.rocAucExtraOvr, 'ovr, absent class');
      expectGolden(() => rocAucScore(c.yTrue, c.yScoreExtra, { labels: c.labelsExtra, multiClass: 'ovo' }), c.rocAucExtraOvo, 'ovo, absent class');
    }
  });
});

describe('rocAucScore', () => {
  it('computes the documented examples; ties count half', () => {
    expect(rocAucScore([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBe(0.75);
    expect(rocAucScore([0, 1], [0.5, 0.5])).toBe(0.5);
    expect(
      rocAucScore([0, 1, 2, 2], [[0.8, 0.1, 0.1], [0.3, 0.4, 0.3], [0.1, 0.2, 0.7], [0.2, 0.5, 0.3]], { average: 'weighted' }),
    ).toBeCloseTo(0.8541666666666667, 15);
  });

  it('rejects one-class yTrue, non-probabilities, label mismatches', () => {
    expect(() => rocAucScore([1, 1], [0.2, 0.3])).toThrow(/one class/);
    expect(() => rocAucScore([0, 1, 2], [[1, 1, 1], [1, 1, 1], [1, 1, 1]])).toThrow(/probabilities/);
    expect(() => rocAucScore([0, 1, 2], [[1, 0], [0, 1], [1, 0]])).toThrow();
    expect(() => rocAucScore([0, 1, 2], [[1, 0, 0], [0, 1, 0], [0, 0, 1]], { labels: [2, 1, 0] })).toThrow(/ordered/);
  });

  it('reads tensors and streams', () => {
    const y = [0, 1, 2, 1, 0, 2, 2];
    const s = [
      [0.6, 0.3, 0.1],
      [0.2, 0.5, 0.3],
      [0.1, 0.3, 0.6],
      [0.3, 0.3, 0.4],
      [0.5, 0.4, 0.1],
      [0.3, 0.4, 0.3],
      [0.2, 0.2, 0.6],
    ];
    const expected = rocAucScore(y, s, { multiClass: 'ovo' });
    expect(rocAucScore(tensor(y, undefined, 'int64'), tensor(s, undefined, 'float64'), { multiClass: 'ovo' })).toBe(expected);
    const m = new RocAuc({ multiClass: 'ovo' });
    m.update(y.slice(0, 3), tensor(s.slice(0, 3), undefined, 'float64'));
    m.update(y.slice(3), s.slice(3));
    expect(m.compute()).toBe(expected);
    const b = new RocAuc();
    b.update([0, 1], [0.2, 0.9]);
    b.update([1, 0], [0.6, 0.7]);
    expect(b.compute()).toBe(0.75);
  });
});
