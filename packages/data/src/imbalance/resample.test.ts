import { describe, expect, it } from 'vitest';
import { tensor } from '@mapnn/core';
import { bincount } from '../util/labels.js';
import { randomOverSample } from './random-over-sample.js';
import { randomUnderSample } from './random-under-sample.js';

const x = tensor(Array.from({ length: 10 }, (_, i) => [i, -i]));
const y = [0, 0, 0, 0, 0, 0, 1, 1, 2, 2];

describe('random over- and under-sampling', () => {
  it('over-sampling duplicates minority rows up to the majority count', () => {
    const r = randomOverSample(x, y, { seed: 0 });
    expect(Array.from(bincount(r.y.dataSync()))).toEqual([6, 6, 6]);
    expect(r.x.shape).toEqual([18, 2]);
    expect(Array.from(r.indices.slice(0, 10))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const rows = r.x.arraySync() as number[][];
    const labels = Array.from(r.y.dataSync());
    r.indices.forEach((src, k) => {
      expect(rows[k]).toEqual([src, -src]);
      expect(labels[k]).toBe(y[src]);
    });
    const again = randomOverSample(x, y, { seed: 0 });
    expect(Array.from(again.indices)).toEqual(Array.from(r.indices));
    const partial = randomOverSample(x, y, { strategy: { 1: 4 }, seed: 0 });
    expect(Array.from(bincount(partial.y.dataSync()))).toEqual([6, 4, 2]);
  });

  it('under-sampling keeps a random subset of each class down to the minority count', () => {
    const r = randomUnderSample(x, y, { seed: 1 });
    expect(Array.from(bincount(r.y.dataSync()))).toEqual([2, 2, 2]);
    expect(Array.from(r.indices)).toEqual([...r.indices].sort((a, b) => a - b));
    expect(r.indices.filter((i) => i >= 6)).toEqual(new Int32Array([6, 7, 8, 9]));
    expect(() => randomUnderSample(x, y, { strategy: { 1: 5 } })).toThrow(/class 1 has 2 samples; under-sampling cannot raise it to 5/);
    expect(() => randomOverSample(x, y.slice(1))).toThrow(/x has 10 rows but there are 9 labels/);
  });
});
