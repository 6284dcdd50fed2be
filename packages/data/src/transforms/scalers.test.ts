import { describe, expect, it } from 'vitest';
import { memory, tensor } from '@mapnn/core';
import { sklearn } from '../../test/fixtures.js';
import { MinMaxScaler } from './min-max-scaler.js';
import { minMaxScale, normalize, standardize } from './normalize.js';
import { StandardScaler } from './standard-scaler.js';

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol: number) => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!), `index ${i}: ${a[i]} vs ${b[i]}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b[i]!)));
};

describe('scalers match scikit-learn (wine)', () => {
  const { x: rows, standard, minmax, minmaxRange } = sklearn.scalers;
  const x64 = tensor(rows, undefined, 'float64');

  it('StandardScaler: mean, scale, transform and inverse', () => {
    const s = new StandardScaler().fit(x64);
    close(s.mean!, standard.mean, 1e-12);
    close(s.scale!, standard.scale, 1e-12);
    const t = s.transform(x64);
    expect(t.dtype).toBe('float64');
    close(t.dataSync().slice(0, 3 * 13), standard.firstRows.flat(), 1e-12);
    close(s.inverseTransform(t).dataSync(), x64.dataSync(), 1e-12);
    // float32 input: float32 output, same values to float32 precision
    const t32 = new StandardScaler().fitTransform(tensor(rows));
    expect(t32.dtype).toBe('float32');
    close(t32.dataSync().slice(0, 3 * 13), standard.firstRows.flat(), 1e-5);
  });

  it('MinMaxScaler: data range, transform, featureRange and inverse', () => {
    const s = new MinMaxScaler().fit(x64);
    close(s.dataMin!, minmax.dataMin, 0);
    close(s.dataMax!, minmax.dataMax, 0);
    close(s.transform(x64).dataSync().slice(0, 39), minmax.firstRows.flat(), 1e-12);
    const r = new MinMaxScaler({ featureRange: minmaxRange.range }).fit(x64);
    const t = r.transform(x64);
    close(t.dataSync().slice(0, 39), minmaxRange.firstRows.flat(), 1e-12);
    close(r.inverseTransform(t).dataSync(), x64.dataSync(), 1e-12);
  });

  it('fits on train and applies to test without refitting', () => {
    const train = tensor([[0], [2], [4]]);
    const test = tensor([[6], [-2]]);
    const { scaler, tensors } = standardize(train, test);
    expect(Array.from(tensors[1]!.dataSync()).map((v) => +v.toFixed(5))).toEqual([2.44949, -2.44949]);
    expect(scaler.mean![0]).toBe(2);
    const mm = minMaxScale(train, test).tensors[1]!;
    expect(Array.from(mm.dataSync())).toEqual([1.5, -0.5]);
    expect(Array.from(new MinMaxScaler({ clip: true }).fit(train).transform(test).dataSync())).toEqual([1, 0]);
  });

  it('handles constant features, int input, shape checks and leaves no temporaries', () => {
    const x = tensor([[1, 5], [3, 5]], undefined, 'int32');
    const s = new StandardScaler().fit(x);
    expect(Array.from(s.scale!)).toEqual([1, 1]);
    const before = memory().numTensors;
    const t = s.transform(x);
    expect(memory().numTensors - before).toBe(1);
    expect(t.dtype).toBe('float32');
    expect(Array.from(t.dataSync())).toEqual([-1, 0, 1, 0]);
    expect(() => s.transform(tensor([[1, 2, 3]]))).toThrow(/fitted on features \[2\] but got \[3\]/);
    expect(() => new StandardScaler().transform(x)).toThrow(/call fit\(\) first/);
  });

  it('normalize: per-channel mean/std on NCHW', () => {
    const x = tensor([1, 2, 3, 4, 10, 20, 30, 40], [1, 2, 2, 2]);
    const y = normalize(x, [2, 20], [2, 10]);
    expect(Array.from(y.dataSync())).toEqual([-0.5, 0, 0.5, 1, -1, 0, 1, 2]);
    expect(() => normalize(x, [1], [1])).toThrow(/1 means and 1 stds for 2 channels/);
  });
});
