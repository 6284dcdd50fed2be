import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectGolden, loadFixture, type Golden } from '../test/fixtures.js';
import { averagePrecision, AveragePrecision } from './average-precision.js';
import { setWarningHandler } from './warnings.js';

describe('averagePrecision vs scikit-learn (fixtures/curves.json, multiclass_scores.json)', () => {
  let prev: ReturnType<typeof setWarningHandler> = null;
  beforeAll(() => {
    prev = setWarningHandler(null);
  });
  afterAll(() => {
    setWarningHandler(prev);
  });
  const binary = loadFixture('curves').cases;
  it.each(binary.map((c) => [c.data as string, c]))('binary %s', (_, c) => {
    const opts = { posLabel: c.posLabel, ...(c.sampleWeight ? { sampleWeight: c.sampleWeight } : {}) };
    expectGolden(() => averagePrecision(c.yTrue, c.yScore, opts), c.ap, 'ap');
  });
  const multi = loadFixture('multiclass_scores').cases;
  it.each(multi.map((c) => [c.data as string, c]))('one-vs-rest / multi-label %s', (_, c) => {
    for (const v of c.ap as Golden[]) {
      const opts = { average: v.average, ...(c.sampleWeight ? { sampleWeight: c.sampleWeight } : {}) };
      expectGolden(() => averagePrecision(c.yTrue, c.yScore, opts), v.value, `ap ${v.average}`);
    }
  });
});

describe('averagePrecision', () => {
  it('computes the documented example', () => {
    expect(averagePrecision([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBeCloseTo(0.8333333333333333, 15);
  });

  it('checks posLabel and score shapes', () => {
    expect(() => averagePrecision([0, 2], [0.1, 0.2])).toThrow(/posLabel/);
    expect(() => averagePrecision([0, 1, 2], [0.1, 0.2, 0.3])).toThrow(/\[n, 3\]/);
  });

  it('streams', () => {
    const m = new AveragePrecision({ average: 'weighted' });
    const y = [0, 1, 2, 2, 1, 0];
    const s = [
      [0.5, 0.3, 0.2],
      [0.2, 0.5, 0.3],
      [0.1, 0.1, 0.8],
      [0.3, 0.4, 0.3],
      [0.3, 0.3, 0.4],
      [0.6, 0.2, 0.2],
    ];
    m.update(y.slice(0, 4), s.slice(0, 4));
    m.update(y.slice(4), s.slice(4));
    expect(m.compute()).toBe(averagePrecision(y, s, { average: 'weighted' }));
    const perClass = new AveragePrecision({ average: null });
    perClass.update(y, s);
    const values: number[] = perClass.compute();
    expect(values).toEqual(averagePrecision(y, s, { average: null }));
    expect(values).toHaveLength(3);
  });
});
