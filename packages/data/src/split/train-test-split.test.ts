import { describe, expect, it } from 'vitest';
import { arange, tensor } from '@mapnn/core';
import { sklearn } from '../../test/fixtures.js';
import { bincount } from '../util/labels.js';
import { splitSizes, trainTestSplit, trainTestSplitIndices } from './train-test-split.js';

describe('trainTestSplit', () => {
  it('sizes follow scikit-learn (n_test = ceil(testSize·n))', () => {
    for (const c of sklearn.trainTestSplitSizes) {
      expect(splitSizes(c.n, c.testSize, undefined), `n=${c.n} testSize=${c.testSize}`).toEqual({ nTrain: c.nTrain, nTest: c.nTest });
    }
    expect(splitSizes(10, undefined, 0.75)).toEqual({ nTrain: 7, nTest: 3 });
    expect(() => splitSizes(10, 1.5, undefined)).toThrow(/testSize must be a fraction in \(0, 1\) or a count in \[1, 10\]/);
  });

  it('stratified per-class test counts equal scikit-learn’s (breast cancer, wine, iris)', () => {
    for (const c of sklearn.trainTestSplit) {
      const { train, test } = trainTestSplitIndices(c.labels.length, { testSize: c.testSize, stratify: c.labels, seed: 0 });
      expect([train.length, test.length], `${c.name} ${c.testSize}`).toEqual([c.nTrain, c.nTest]);
      const perClass = Array.from(bincount(Array.from(test, (i) => c.labels[i]!), c.testCountsPerClass.length));
      if (c.name === 'iris') {
        // three classes of 50: the leftover draw goes to a class chosen at random (ties), in
        // scikit-learn as here, so only the multiset of counts is fixed
        expect([...perClass].sort(), `${c.name} ${c.testSize}`).toEqual([...c.testCountsPerClass].sort());
      } else expect(perClass, `${c.name} ${c.testSize}`).toEqual(c.testCountsPerClass);
      expect(new Set([...train, ...test]).size).toBe(c.labels.length);
    }
  });

  it('splits {x, y} consistently and reproducibly', () => {
    const x = arange(20).reshape([10, 2]);
    const y = tensor([0, 0, 0, 0, 0, 1, 1, 1, 1, 1], [10], 'int32');
    const a = trainTestSplit({ x, y }, { testSize: 0.4, stratify: true, seed: 9 });
    const b = trainTestSplit({ x, y }, { testSize: 0.4, stratify: true, seed: 9 });
    expect(Array.from(a.indices.test)).toEqual(Array.from(b.indices.test));
    expect(a.train.x.shape).toEqual([6, 2]);
    expect(a.test.y.shape).toEqual([4]);
    expect(Array.from(bincount(a.test.y.dataSync()))).toEqual([2, 2]);
    const rows = a.test.x.arraySync() as number[][];
    Array.from(a.indices.test).forEach((i, k) => expect(rows[k]).toEqual([2 * i, 2 * i + 1]));
    const plain = trainTestSplit(x, { testSize: 3, shuffle: false });
    expect(Array.from(plain.indices.test)).toEqual([0, 1, 2]);
    expect(plain.train.shape).toEqual([7, 2]);
    expect(() => trainTestSplit([x], { stratify: true })).toThrow(/stratify: true needs a record with a 'y' tensor/);
  });
});
