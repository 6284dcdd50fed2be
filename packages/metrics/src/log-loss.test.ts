import '@mapnn/backend-cpu';
import { setBackend, tensor } from '@mapnn/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectGolden, loadFixture, type Golden } from '../test/fixtures.js';
import { logLoss, LogLoss } from './log-loss.js';

beforeAll(() => setBackend('cpu'));

describe('logLoss vs scikit-learn 1.2 (fixtures/log_loss.json, multiclass_scores.json)', () => {
  const { cases } = loadFixture('log_loss');
  it.each(cases.map((c) => [c.data as string, c]))('%s', (_, c) => {
    for (const v of c.variants as Golden[]) {
      const opts = {
        eps: v.eps,
        normalize: v.normalize,
        ...(c.labels ? { labels: c.labels } : {}),
        ...(c.sampleWeight ? { sampleWeight: c.sampleWeight } : {}),
      };
      expectGolden(() => logLoss(c.yTrue, c.yPred, opts), v.value, `eps=${v.eps} normalize=${v.normalize}`);
    }
  });
  const multi = loadFixture('multiclass_scores').cases.filter((c) => !c.multilabel);
  it.each(multi.map((c) => [c.data as string, c]))('multi-class %s', (_, c) => {
    const w = c.sampleWeight ? { sampleWeight: c.sampleWeight } : {};
    for (const v of c.logLoss as Golden[]) {
      expectGolden(() => logLoss(c.yTrue, c.yScore, { ...w, normalize: v.normalize }), v.value, `normalize=${v.normalize}`);
    }
    expectGolden(() => logLoss(c.yTrue, c.yScoreExtra, { ...w, labels: c.labelsExtra }), c.logLossExtra, 'labels with absent class');
  });
});

describe('logLoss', () => {
  it('computes the documented examples', () => {
    expect(logLoss(['spam', 'ham', 'ham', 'spam'], [[0.1, 0.9], [0.9, 0.1], [0.8, 0.2], [0.35, 0.65]])).toBeCloseTo(0.21616187468057912, 15);
    expect(logLoss([0, 1, 1], [0.1, 0.8, 0.6])).toBeCloseTo(0.2797765635793423, 15);
  });

  it('clips with the eps of the dtype (float32 tensors: 2^-23)', () => {
    const p = [0, 1];
    expect(logLoss([1, 0], p)).toBeCloseTo(-Math.log(2 ** -52), 10);
    expect(logLoss([1, 0], tensor(p))).toBeCloseTo(-Math.log(2 ** -23), 10);
    expect(logLoss([1, 0], tensor(p, undefined, 'float64'))).toBeCloseTo(-Math.log(2 ** -52), 10);
  });

  it('rejects one-label yTrue, unknown labels and wrong widths', () => {
    expect(() => logLoss([1, 1], [0.3, 0.4])).toThrow(/only one label/);
    expect(() => logLoss([0, 1, 3], [[1, 0, 0], [0, 1, 0], [0, 0, 1]], { labels: [0, 1, 2] })).toThrow(/not in labels/);
    expect(() => logLoss([0, 1, 2], [[1, 0], [0, 1], [1, 0]])).toThrow(/different number of classes/);
  });

  it('streams', () => {
    const m = new LogLoss({ labels: [0, 1, 2] });
    m.update([0, 2], [[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]]);
    m.update([1], [[0.2, 0.5, 0.3]], [3]);
    expect(m.compute()).toBe(
      logLoss([0, 2, 1], [[0.7, 0.2, 0.1], [0.1, 0.3, 0.6], [0.2, 0.5, 0.3]], { labels: [0, 1, 2], sampleWeight: [1, 1, 3] }),
    );
    m.reset();
    m.update([1, 0], [[0, 1, 0], [0.5, 0.5, 0]]);
    expect(m.compute()).toBe(logLoss([1, 0], [[0, 1, 0], [0.5, 0.5, 0]], { labels: [0, 1, 2] }));
    const single = new LogLoss();
    single.update([1, 0], tensor([0, 1]));
    expect(single.compute()).toBeCloseTo(-Math.log(2 ** -23), 10);
  });
});
