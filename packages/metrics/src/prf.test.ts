import '@mapnn/backend-cpu';
import { setBackend, tensor } from '@mapnn/core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectGolden, loadFixture, type Golden } from '../test/fixtures.js';
import { f1Score, F1Score, fbetaScore, FbetaScore, precision, Precision, precisionRecallFscoreSupport, recall, Recall } from './prf.js';
import { setWarningHandler, type WarningHandler } from './warnings.js';

beforeAll(() => setBackend('cpu'));

let previous: WarningHandler | null = null;
let undefinedWarnings = 0;
function collectWarnings(): void {
  undefinedWarnings = 0;
  previous = setWarningHandler((w) => {
    if (w.category === 'UndefinedMetricWarning') undefinedWarnings++;
  });
}
afterEach(() => {
  setWarningHandler(previous);
});

function warned<T>(fn: () => T): { value: T | undefined; warned: boolean; error: boolean } {
  undefinedWarnings = 0;
  try {
    const value = fn();
    return { value, warned: undefinedWarnings > 0, error: false };
  } catch {
    return { value: undefined, warned: undefinedWarnings > 0, error: true };
  }
}

describe('precision / recall / F-beta vs scikit-learn 1.2 (fixtures/prf.json)', () => {
  const { datasets, cases } = loadFixture('prf');
  const byData = new Map<string, Golden[]>();
  for (const c of cases) byData.set(c.data, [...(byData.get(c.data) ?? []), c]);
  for (const [name, list] of byData) {
    it(`${name} (${list.length} cases)`, () => {
      collectWarnings();
      const d = datasets[name];
      for (const c of list) {
        const opts = {
          average: c.average as never,
          zeroDivision: c.zeroDivision,
          ...(c.labels ? { labels: c.labels } : {}),
          ...(c.posLabel !== undefined ? { posLabel: c.posLabel } : {}),
          ...(d.sampleWeight ? { sampleWeight: d.sampleWeight } : {}),
        };
        const what = `${name} ${JSON.stringify({ ...opts, sampleWeight: undefined })}`;
        if (c.precision !== undefined) {
          expectGolden(() => precision(d.yTrue, d.yPred, opts), c.precision, `${what} precision`);
          expectGolden(() => recall(d.yTrue, d.yPred, opts), c.recall, `${what} recall`);
          expectGolden(() => f1Score(d.yTrue, d.yPred, opts), c.f1, `${what} f1`);
        }
        expectGolden(() => fbetaScore(d.yTrue, d.yPred, { ...opts, beta: c.beta }), c.fbeta, `${what} fbeta(${c.beta})`);
        if (c.support !== undefined) {
          expect(precisionRecallFscoreSupport(d.yTrue, d.yPred, opts).support ?? null, `${what} support`).toEqual(c.support);
        }
        if (c.warnPrecision !== undefined) {
          expect(warned(() => precision(d.yTrue, d.yPred, opts)).warned, `${what} precision warns`).toBe(c.warnPrecision);
          expect(warned(() => recall(d.yTrue, d.yPred, opts)).warned, `${what} recall warns`).toBe(c.warnRecall);
          expect(warned(() => f1Score(d.yTrue, d.yPred, opts)).warned, `${what} f1 warns`).toBe(c.warnF1);
        }
        if (c.warnFbeta !== undefined) {
          expect(warned(() => fbetaScore(d.yTrue, d.yPred, { ...opts, beta: c.beta })).warned, `${what} fbeta warns`).toBe(c.warnFbeta);
        }
      }
    });
  }
});

describe('precision / recall / F', () => {
  it('computes the documented examples', () => {
    collectWarnings();
    expect(precision([0, 1, 1, 0], [0, 1, 0, 1])).toBe(0.5);
    expect(precision([0, 1, 2], [0, 2, 2], { average: null })).toEqual([1, 0, 0.5]);
    expect(precision([0, 1, 2, 0, 1, 2], [0, 2, 1, 0, 0, 1], { average: 'macro' })).toBeCloseTo(2 / 9, 14);
    expect(recall(['a', 'b', 'b'], ['a', 'a', 'b'], { average: 'micro' })).toBeCloseTo(2 / 3, 14);
    expect(f1Score([0, 0], [0, 0], { labels: [0, 1], average: null, zeroDivision: 1 })).toEqual([1, 1]);
    expect(fbetaScore([0, 1, 2, 0, 1, 2], [0, 2, 1, 0, 0, 1], { beta: 0.5, average: 'macro' })).toBeCloseTo(0.2380952380952381, 14);
  });

  it('takes tensors, [n, C] scores (argmax) and thresholds', () => {
    const yTrue = tensor([0, 1, 1, 0], undefined, 'int32');
    expect(f1Score(yTrue, tensor([0, 1, 0, 1], undefined, 'int64'))).toBe(0.5);
    expect(f1Score(yTrue, tensor([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4], [0.3, 0.7]]))).toBe(0.5);
    expect(f1Score(yTrue, [0.1, 0.8, 0.4, 0.7], { threshold: 0.5 })).toBe(0.5);
    expect(() => f1Score(yTrue, [0.1, 0.8, 0.4, 0.7])).toThrow(/continuous/);
  });

  it('rejects a binary average on multi-class data and a missing posLabel', () => {
    expect(() => precision([0, 1, 2], [0, 1, 2])).toThrow(/multiclass/);
    expect(() => precision(['a', 'b'], ['a', 'b'])).toThrow(/posLabel/);
    expect(precision(['a', 'b'], ['a', 'b'], { posLabel: 'b' })).toBe(1);
  });

  it('streams: compute() equals the functional value on the concatenated batches', () => {
    const yTrue = [0, 1, 2, 2, 1, 0, 2, 1, 0, 0, 3, 2];
    const yPred = [0, 2, 2, 1, 1, 0, 0, 1, 2, 0, 3, 3];
    const w = [1, 0.5, 2, 1, 0, 1.5, 1, 1, 0.25, 3, 1, 2];
    for (const average of ['micro', 'macro', 'weighted', null] as const) {
      const ms = [new Precision({ average }), new Recall({ average }), new F1Score({ average }), new FbetaScore({ beta: 2, average })];
      for (const [a, b] of [[0, 5], [5, 6], [6, 12]] as const) {
        for (const m of ms) m.update(yTrue.slice(a, b), yPred.slice(a, b), w.slice(a, b));
      }
      const o = { average, sampleWeight: w };
      expect(ms[0]!.compute()).toEqual(precision(yTrue, yPred, o));
      expect(ms[1]!.compute()).toEqual(recall(yTrue, yPred, o));
      expect(ms[2]!.compute()).toEqual(f1Score(yTrue, yPred, o));
      expect(ms[3]!.compute()).toEqual(fbetaScore(yTrue, yPred, { ...o, beta: 2 }));
      for (const m of ms) m.reset();
      for (const m of ms) m.update([0, 1], [0, 1]);
      expect(ms[0]!.compute()).toEqual(precision([0, 1], [0, 1], { average }));
    }
  });

  it('types per-class results as arrays', () => {
    const perClass: number[] = f1Score([0, 1], [0, 1], { average: null });
    const single: number = new F1Score({ average: 'macro' }).compute();
    expect(perClass).toEqual([1, 1]);
    expect(single).toBeNaN(); // no data: mean of nothing
  });
});
