import { describe, expect, it } from 'vitest';
import { EntropyObserver, klDivergence, smoothDistribution } from './entropy.js';
import { MinMaxObserver, MovingAverageMinMaxObserver } from './min-max.js';
import { MseObserver } from './mse.js';
import { createObserver } from './observer.js';
import { PercentileObserver } from './percentile.js';

/** Deterministic standard-normal samples (Box–Muller over a fixed LCG). */
function gaussian(n: number, seed = 1): Float32Array {
  let s = seed;
  const u = () => ((s = (s * 1664525 + 1013904223) >>> 0) + 0.5) / 4294967296;
  return Float32Array.from({ length: n }, () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u()));
}

/** Gaussian bulk plus a few far outliers: the clipping observers must cut the outliers. */
const withOutliers = () => Float32Array.from([...gaussian(20000), 40, -35]);

describe('min-max observers', () => {
  it('MinMax: the extremes over all batches', () => {
    const o = new MinMaxObserver();
    o.observe([1, -2, 3]);
    o.observe([0.5, 7]);
    expect(o.range()).toEqual([-2, 7]);
  });

  it('MovingAverage: first batch sets, later ones move by c · (batch − running)', () => {
    const o = new MovingAverageMinMaxObserver(0.5);
    o.observe([-2, 2]);
    o.observe([-4, 6]);
    expect(o.range()).toEqual([-3, 4]);
  });

  it('throws on NaN and on no data', () => {
    expect(() => new MinMaxObserver().observe([1, NaN])).toThrow(/NaN at element 1/);
    expect(() => new MinMaxObserver().range()).toThrow(/empty calibration data/);
    expect(() => new EntropyObserver().range()).toThrow(/empty calibration data/);
  });
});

describe('clipping observers cut outliers', () => {
  it('Percentile 99.9: the range of the bulk (≈ ±3.3σ), not ±40', () => {
    const o = new PercentileObserver(99.9);
    o.observe(withOutliers());
    const [lo, hi] = o.range();
    expect(lo).toBeGreaterThan(-4);
    expect(lo).toBeLessThan(-2.8);
    expect(hi).toBeGreaterThan(2.8);
    expect(hi).toBeLessThan(4);
  });

  it('Percentile 100 keeps the whole range', () => {
    const o = new PercentileObserver(100);
    o.observe([-1, 0, 5]);
    expect(o.range()).toEqual([-1, 5]);
  });

  it('MSE: two outliers in a million values are clipped (their squared error is less than the coarser steps)', () => {
    const o = new MseObserver('int8');
    o.observe(Float32Array.from([...gaussian(1_000_000), 40, -35]));
    const [lo, hi] = o.range();
    expect(hi).toBeLessThan(20);
    expect(o.errorOf(lo, hi)).toBeLessThan(o.errorOf(-35, 40));
  });

  it('MSE keeps the whole range when clipping costs more (two outliers in 20,000 values)', () => {
    const o = new MseObserver('int8');
    o.observe(withOutliers());
    const [lo, hi] = o.range();
    expect(hi).toBeGreaterThan(30); // within a few grid steps of the full range
    expect(lo).toBeLessThan(-30);
  });

  it('Entropy: a threshold inside the outliers, cut to [0, t] for non-negative data', () => {
    const o = new EntropyObserver();
    o.observe(withOutliers());
    const [lo, hi] = o.range();
    expect(hi).toBeLessThan(20);
    expect(hi).toBeGreaterThan(2);
    expect(lo).toBe(-hi);
    const relu = new EntropyObserver();
    relu.observe(withOutliers().map((v) => Math.max(v, 0)));
    expect(relu.range()[0]).toBe(0);
  });

  it('histograms keep counting when a later batch widens the range', () => {
    const o = new PercentileObserver(100);
    o.observe([0.1, 0.2]);
    o.observe([-3, 3]);
    expect(o.range()).toEqual([-3, 3]);
  });
});

describe('entropy helpers (ORT smooth_distribution, scipy entropy)', () => {
  it('smoothing moves eps onto the zeros', () => {
    expect(Array.from(smoothDistribution(Float64Array.of(1, 0, 3))!)).toEqual([1 - 0.00005, 1e-4, 3 - 0.00005]);
    expect(smoothDistribution(Float64Array.of(0, 0))).toBeNull();
  });
  it('KL of normalised distributions', () => {
    expect(klDivergence(Float64Array.of(1, 1), Float64Array.of(2, 2))).toBe(0);
    expect(klDivergence(Float64Array.of(1, 0), Float64Array.of(1, 1))).toBeCloseTo(Math.log(2), 12);
  });
});

describe('createObserver', () => {
  it('by name and with options; unknown names are refused', () => {
    expect(createObserver('minmax', 'int8')).toBeInstanceOf(MinMaxObserver);
    expect((createObserver({ type: 'percentile', percentile: 99 }, 'int8') as PercentileObserver).percentile).toBe(99);
    expect(() => createObserver('kl' as never, 'int8')).toThrow(/unknown observer 'kl'/);
  });
});
