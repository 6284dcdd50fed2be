import { describe, expect, it } from 'vitest';
import { expectGolden, loadFixture, type Golden } from '../test/fixtures.js';
import { confusionMatrix, ConfusionMatrix } from './confusion-matrix.js';

describe('confusionMatrix vs scikit-learn (fixtures/label_metrics.json)', () => {
  const { datasets, cases } = loadFixture('label_metrics');
  it.each(cases.map((c) => [c.data as string, c]))('%s', (name, c) => {
    const d = datasets[name];
    for (const v of c.confusion as Golden[]) {
      const opts = {
        normalize: v.normalize,
        ...(v.labels ? { labels: v.labels } : {}),
        ...(d.sampleWeight ? { sampleWeight: d.sampleWeight } : {}),
      };
      expectGolden(() => confusionMatrix(d.yTrue, d.yPred, opts), v.value, `confusion ${JSON.stringify(v.labels)} ${v.normalize}`);
    }
  });
});

describe('confusionMatrix', () => {
  it('computes the documented examples', () => {
    expect(confusionMatrix([2, 0, 2, 2, 0, 1], [0, 0, 2, 2, 0, 2])).toEqual([
      [2, 0, 0],
      [0, 0, 1],
      [1, 0, 2],
    ]);
    expect(confusionMatrix(['cat', 'ant', 'cat'], ['ant', 'ant', 'cat'], { labels: ['ant', 'cat'], normalize: 'true' })).toEqual([
      [1, 0],
      [0.5, 0.5],
    ]);
  });

  it('errors as scikit-learn: no label of `labels` in yTrue, empty labels', () => {
    expect(() => confusionMatrix([0, 1], [0, 1], { labels: [5] })).toThrow(/at least one label/);
    expect(() => confusionMatrix([0, 1], [0, 1], { labels: [] })).toThrow(/at least one/);
    expect(confusionMatrix([], [], { labels: [0, 1] })).toEqual([
      [0, 0],
      [0, 0],
    ]);
  });

  it('streams', () => {
    const m = new ConfusionMatrix({ labels: [0, 1, 2] });
    m.update([0, 1], [0, 2]);
    expect(m.compute()).toEqual([
      [1, 0, 0],
      [0, 0, 1],
      [0, 0, 0],
    ]);
    m.update([2, 2], [2, 0], [0.5, 2]);
    expect(m.compute()).toEqual(confusionMatrix([0, 1, 2, 2], [0, 2, 2, 0], { labels: [0, 1, 2], sampleWeight: [1, 1, 0.5, 2] }));
  });
});
