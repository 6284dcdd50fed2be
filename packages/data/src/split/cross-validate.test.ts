import { describe, expect, it } from 'vitest';
import { memory } from '@mapnn/core';
import { loadIris } from '../datasets/toy-datasets.js';
import { crossValidate, type XY } from './cross-validate.js';

/** A nearest-centroid classifier: enough of a model to cross-validate. */
class NearestCentroid {
  centroids: number[][] = [];
  fit({ x, y }: XY) {
    const rows = x.arraySync() as number[][];
    const labels = Array.from(y.dataSync());
    const sums = new Map<number, { s: number[]; n: number }>();
    rows.forEach((r, i) => {
      const e = sums.get(labels[i]!) ?? { s: r.map(() => 0), n: 0 };
      e.s = e.s.map((v, j) => v + r[j]!);
      e.n++;
      sums.set(labels[i]!, e);
    });
    this.centroids = [...sums.entries()].sort((a, b) => a[0] - b[0]).map(([, e]) => e.s.map((v) => v / e.n));
  }
  accuracy({ x, y }: XY): number {
    const rows = x.arraySync() as number[][];
    const labels = Array.from(y.dataSync());
    let ok = 0;
    rows.forEach((r, i) => {
      const d = this.centroids.map((c) => c.reduce((s, v, j) => s + (v - r[j]!) ** 2, 0));
      if (d.indexOf(Math.min(...d)) === labels[i]) ok++;
    });
    return ok / rows.length;
  }
}

describe('crossValidate', () => {
  it('fits a fresh model per fold with injected fit/evaluate and reports mean ± std', async () => {
    const data = loadIris();
    const built: number[] = [];
    const sizes: number[] = [];
    const before = memory().numTensors;
    const result = await crossValidate(
      (fold) => {
        built.push(fold);
        return new NearestCentroid();
      },
      data,
      5,
      {
        fit: async (m, train) => {
          sizes.push(train.x.shape[0]!);
          m.fit(train);
        },
        evaluate: (m, test) => ({ accuracy: m.accuracy(test), n: test.x.shape[0]! }),
        seed: 0,
      },
    );
    expect(built).toEqual([0, 1, 2, 3, 4]);
    expect(sizes).toEqual([120, 120, 120, 120, 120]);
    expect(result.folds.map((f) => f.metrics.n)).toEqual([30, 30, 30, 30, 30]);
    const accs = result.folds.map((f) => f.metrics.accuracy!);
    const mean = accs.reduce((a, b) => a + b) / 5;
    expect(result.mean.accuracy).toBeCloseTo(mean, 12);
    expect(result.std.accuracy).toBeCloseTo(Math.sqrt(accs.reduce((a, b) => a + (b - mean) ** 2, 0) / 5), 12);
    expect(result.mean.accuracy).toBeGreaterThan(0.85);
    expect(result.summary.accuracy).toMatch(/^0\.\d+ ± 0\.\d+$/);
    expect(memory().numTensors).toBe(before); // fold tensors are disposed
    // reproducible
    const again = await crossValidate(() => new NearestCentroid(), data, 5, {
      fit: (m, t) => m.fit(t),
      evaluate: (m, t) => m.accuracy(t),
      seed: 0,
    });
    expect(again.folds.map((f) => f.metrics.score)).toEqual(accs);
  });

  it('propagates errors from fit and still frees the fold tensors', async () => {
    const data = loadIris();
    const before = memory().numTensors;
    await expect(
      crossValidate(() => null, data, 3, {
        fit: () => {
          throw new Error('boom');
        },
        evaluate: () => 0,
      }),
    ).rejects.toThrow('boom');
    expect(memory().numTensors).toBe(before);
  });
});
