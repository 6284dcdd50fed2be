import { describe, expect, it } from 'vitest';
import { RunningMeanStd } from './running-mean-std.js';

describe('RunningMeanStd', () => {
  it('matches the mean and population variance of everything seen, up to the epsilon prior', () => {
    const rms = new RunningMeanStd({ size: 2, epsilon: 1e-12 });
    const rows = [[1, 10], [2, 20], [4, 40], [7, 70], [-3, 5]];
    rms.update(rows.slice(0, 2).flat(), 2);
    for (const r of rows.slice(2)) rms.update(r, 1);
    const col = (j: number) => rows.map((r) => r[j]);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const pvar = (xs: number[]) => mean(xs.map((x) => (x - mean(xs)) ** 2));
    for (const j of [0, 1]) {
      expect(rms.mean[j]).toBeCloseTo(mean(col(j)), 9);
      expect(rms.var[j]).toBeCloseTo(pvar(col(j)), 8);
    }
    expect(rms.count).toBeCloseTo(5, 9);
  });

  it('starts at mean 0, var 1, count 1e-4 and weighs the prior in', () => {
    const rms = new RunningMeanStd();
    expect([rms.mean[0], rms.var[0], rms.count]).toEqual([0, 1, 1e-4]);
    rms.update([2]);
    expect(rms.mean[0]).toBeCloseTo(2 / 1.0001, 12);
    expect(rms.var[0]).toBeCloseTo((1e-4 + (4 * 1e-4) / 1.0001) / 1.0001, 12);
  });

  it('rounds to float32 when asked', () => {
    const rms = new RunningMeanStd({ dtype: 'float32' });
    rms.update([0.1]);
    expect(rms.mean).toBeInstanceOf(Float32Array);
    expect(rms.mean[0]).toBe(Math.fround(rms.mean[0]));
  });

  it('saves and restores its state, and checks what it is given', () => {
    const a = new RunningMeanStd({ size: 2 });
    a.update([1, 2, 3, 5], 2);
    const b = new RunningMeanStd({ size: 2 });
    b.setState(JSON.parse(JSON.stringify(a.getState())));
    expect(b.getState()).toEqual(a.getState());
    expect(() => b.setState({ mean: [0], var: [1], count: 1 })).toThrow(/expected mean and var of 2 values/);
    expect(() => a.update([1, 2, 3])).toThrow(/expected 1 × 2 values, got 3/);
    expect(() => new RunningMeanStd({ size: 0 })).toThrow(/size must be a positive integer/);
  });
});
