import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectGolden, loadFixture, type Golden } from '../test/fixtures.js';
import { topKAccuracy, TopKAccuracy } from './top-k.js';
import { setWarningHandler, type WarningHandler } from './warnings.js';

let prev: WarningHandler | null = null;
beforeAll(() => {
  prev = setWarningHandler(null);
});
afterAll(() => {
  setWarningHandler(prev);
});

describe('topKAccuracy vs scikit-learn (fixtures/multiclass_scores.json, curves.json)', () => {
  const multi = loadFixture('multiclass_scores').cases.filter((c) => !c.multilabel);
  it.each(multi.map((c) => [c.data as string, c]))('multi-class %s', (_, c) => {
    const w = c.sampleWeight ? { sampleWeight: c.sampleWeight } : {};
    for (const v of c.topK as Golden[]) {
      expectGolden(() => topKAccuracy(c.yTrue, c.yScore, { ...w, k: v.k, normalize: v.normalize }), v.value, `k=${v.k} ${v.normalize}`);
    }
    expectGolden(() => topKAccuracy(c.yTrue, c.yScoreExtra, { ...w, k: 2, labels: c.labelsExtra }), c.topKExtra, 'labels with absent class');
  });
  const binary = loadFixture('curves').cases.filter((c) => c.topK1 !== undefined);
  it.each(binary.map((c) => [c.data as string, c]))('binary 1-D %s', (_, c) => {
    const w = c.sampleWeight ? { sampleWeight: c.sampleWeight } : {};
    expectGolden(() => topKAccuracy(c.yTrue, c.yScore, { ...w, k: 1 }), c.topK1, 'k=1');
  });
});

describe('topKAccuracy', () => {
  it('computes the documented example; ties go to the later column as NumPy', () => {
    const s = [
      [0.5, 0.2, 0.2],
      [0.3, 0.4, 0.2],
      [0.2, 0.4, 0.3],
      [0.7, 0.2, 0.1],
    ];
    expect(topKAccuracy([0, 1, 2, 2], s, { k: 2 })).toBe(0.75);
    expect(topKAccuracy([0, 1, 2, 2], s, { k: 2, normalize: false })).toBe(3);
    expect(topKAccuracy([1, 0, 2], [[0.5, 0.5, 0], [0.5, 0.5, 0], [0, 0, 1]], { k: 1 })).toBe(2 / 3);
  });

  it('checks labels', () => {
    expect(() => topKAccuracy([0, 1, 2], [[1, 0], [0, 1], [1, 0]])).toThrow(/number of classes/);
    expect(() => topKAccuracy([0, 1], [[1, 0, 0], [0, 1, 0]], { labels: [0, 2, 1] })).toThrow(/ordered/);
    expect(() => topKAccuracy([0, 5], [[1, 0, 0], [0, 1, 0]], { labels: [0, 1, 2] })).toThrow(/not in/);
  });

  it('streams', () => {
    const m = new TopKAccuracy({ k: 1, labels: [0, 1, 2] });
    m.update([0], [[0.7, 0.2, 0.1]]);
    m.update([2, 1], [[0.1, 0.5, 0.4], [0.2, 0.6, 0.2]], [2, 1]);
    expect(m.compute()).toBe(topKAccuracy([0, 2, 1], [[0.7, 0.2, 0.1], [0.1, 0.5, 0.4], [0.2, 0.6, 0.2]], { k: 1, labels: [0, 1, 2], sampleWeight: [1, 2, 1] }));
  });
});
