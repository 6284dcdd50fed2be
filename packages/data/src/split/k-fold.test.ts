import { describe, expect, it } from 'vitest';
import { sklearn } from '../../test/fixtures.js';
import { loadWine } from '../datasets/toy-datasets.js';
import { kFold } from './k-fold.js';
import { stratifiedKFold } from './stratified-k-fold.js';

const sorted = (a: Int32Array) => Array.from(a).sort((p, q) => p - q);

describe('kFold', () => {
  it("matches scikit-learn's KFold without shuffling", () => {
    for (const c of sklearn.kFold) {
      const folds = [...kFold(c.n, c.k)];
      expect(folds.map((f) => Array.from(f.test)), `n=${c.n} k=${c.k}`).toEqual(c.testFolds);
    }
  });

  it('with a seeded shuffle: every sample tested exactly once, train = the complement, reproducible', () => {
    const a = [...kFold(23, 4, { shuffle: true, seed: 3 })];
    const b = [...kFold(23, 4, { shuffle: true, seed: 3 })];
    expect(a.map((f) => Array.from(f.test))).toEqual(b.map((f) => Array.from(f.test)));
    expect(a.map((f) => f.test.length)).toEqual([6, 6, 6, 5]);
    expect(a.flatMap((f) => Array.from(f.test)).sort((p, q) => p - q)).toEqual(Array.from({ length: 23 }, (_, i) => i));
    for (const f of a) expect([...sorted(f.train), ...sorted(f.test)].sort((p, q) => p - q)).toEqual(Array.from({ length: 23 }, (_, i) => i));
    expect(a.map((f) => Array.from(f.test))).not.toEqual([...kFold(23, 4)].map((f) => Array.from(f.test)));
    expect(() => [...kFold(3, 4)]).toThrow(/cannot split 3 samples into 4 folds/);
    expect(() => [...kFold(3, 1)]).toThrow(/k must be an integer ≥ 2/);
  });
});

describe('stratifiedKFold', () => {
  it("matches scikit-learn's StratifiedKFold without shuffling", () => {
    for (const c of sklearn.stratifiedKFold) {
      const folds = [...stratifiedKFold(c.labels, c.k)];
      expect(folds.map((f) => Array.from(f.test)), `${c.name} k=${c.k}`).toEqual(c.testFolds);
    }
  });

  it('keeps class proportions within one sample per fold, with or without shuffling', () => {
    const y = Array.from(loadWine().y.dataSync());
    for (const shuffle of [false, true]) {
      for (const k of [3, 5, 10]) {
        const folds = [...stratifiedKFold(y, k, { shuffle, seed: 11 })];
        const seen = folds.flatMap((f) => Array.from(f.test)).sort((p, q) => p - q);
        expect(seen).toEqual(y.map((_, i) => i));
        for (const c of [0, 1, 2]) {
          const perFold = folds.map((f) => Array.from(f.test).filter((i) => y[i] === c).length);
          expect(Math.max(...perFold) - Math.min(...perFold), `class ${c}, k=${k}`).toBeLessThanOrEqual(1);
        }
        const sizes = folds.map((f) => f.test.length);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }
    }
  });

  it('shuffles reproducibly and rejects impossible k', () => {
    const y = [0, 0, 0, 0, 1, 1, 1, 1, 1, 1];
    const a = [...stratifiedKFold(y, 2, { shuffle: true, seed: 1 })].map((f) => Array.from(f.test));
    expect([...stratifiedKFold(y, 2, { shuffle: true, seed: 1 })].map((f) => Array.from(f.test))).toEqual(a);
    expect(() => [...stratifiedKFold([0, 0, 1, 1], 3)]).toThrow(/k = 3 is greater than the number of samples of every class/);
  });
});
