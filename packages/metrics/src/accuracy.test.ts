import '@mapnn/backend-cpu';
import { setBackend, tensor } from '@mapnn/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectGolden, loadFixture } from '../test/fixtures.js';
import { accuracy, Accuracy } from './accuracy.js';

beforeAll(() => setBackend('cpu'));

describe('accuracy vs scikit-learn (fixtures/label_metrics.json)', () => {
  const { datasets, cases } = loadFixture('label_metrics');
  it.each(cases.map((c) => [c.data as string, c]))('%s', (name, c) => {
    const d = datasets[name];
    const w = d.sampleWeight ? { sampleWeight: d.sampleWeight } : {};
    expectGolden(() => accuracy(d.yTrue, d.yPred, w), c.accuracy, 'accuracy');
    expectGolden(() => accuracy(d.yTrue, d.yPred, { ...w, normalize: false }), c.accuracyCount, 'accuracy count');
  });
});

describe('accuracy', () => {
  it('computes the documented examples', () => {
    expect(accuracy([0, 1, 2, 3], [0, 2, 1, 3])).toBe(0.5);
    expect(accuracy([0, 1, 2, 3], [0, 2, 1, 3], { normalize: false })).toBe(2);
    expect(accuracy([1, 0], [[0.2, 0.8], [0.9, 0.1]])).toBe(1);
    expect(accuracy(['a', 'b'], ['a', 'a'])).toBe(0.5);
  });

  it('reads tensors: labels, [n, 1] columns, logits and weights', () => {
    const y = tensor([0, 1, 2, 1], undefined, 'int32');
    expect(accuracy(y, tensor([[0], [1], [1], [1]]))).toBe(0.75);
    expect(accuracy(y, tensor([[3, 1, 0], [0, 2, 1], [0, 0, 5], [1, 0, 0]]))).toBe(0.75);
    expect(accuracy(y, [0, 1, 2, 0], { sampleWeight: tensor([1, 1, 1, 3]) })).toBe(0.5);
    expect(accuracy([1, 0, 1], tensor([0.7, 0.2, 0.4]), { threshold: 0.5 })).toBeCloseTo(2 / 3, 15);
  });

  it('rejects mismatched lengths, mixed label kinds and continuous labels', () => {
    expect(() => accuracy([0, 1], [0])).toThrow(/inconsistent/);
    expect(() => accuracy([0, 'a'] as never, [0, 1])).toThrow(/mix/);
    expect(() => accuracy([0, 1], [0.5, 1])).toThrow(/continuous/);
    expect(() => accuracy([0, 1], [0, 1], { sampleWeight: [0, 0] })).toThrow(/zero/);
  });

  it('streams', () => {
    const m = new Accuracy();
    m.update([0, 1], [0, 0]);
    m.update([1, 1], [1, 1]);
    expect(m.compute()).toBe(0.75);
    m.update(tensor([2]), tensor([[0.1, 0.2, 0.7]]), [2]);
    expect(m.compute()).toBe(accuracy([0, 1, 1, 1, 2], [0, 0, 1, 1, 2], { sampleWeight: [1, 1, 1, 1, 2] }));
    m.reset();
    expect(m.compute()).toBeNaN();
    const count = new Accuracy({ normalize: false });
    count.update([0, 1, 2], [0, 1, 1]);
    expect(count.compute()).toBe(2);
  });
});
