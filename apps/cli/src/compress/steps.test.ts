// Unit tests of `mapnn compress`'s steps on small models (the command itself: compress.test.ts).
import '@mapnn/backend-cpu';
import { describe, expect, it } from 'vitest';
import { randn, setBackend, tensor, zeros } from '@mapnn/core';
import { buildModel } from '../models/build.js';
import { CliError } from '../errors.js';
import { checkCombination, pruneOption, quantizeOption } from '../commands/compress.js';
import { countParameters, sparsityOf } from './measure.js';
import { pruneStructured, pruneTargets, pruneUnstructured, quantizeInt8 } from './steps.js';

setBackend('cpu');
const cnn = () => buildModel({ kind: 'cnn', inputShape: [1, 8, 8], outputs: 10 });

describe('compress steps', () => {
  it('--prune: global L1 pruning zeroes that share of the conv kernels and weight matrices, biases untouched', () => {
    const m = cnn();
    expect(pruneTargets(m)).toHaveLength(4); // 2 Conv2d, 2 Linear
    const biases = m.parameters().filter((p) => p.rank === 1).map((p) => Array.from(p.dataSync()));
    pruneUnstructured(m, 0.6);
    expect(sparsityOf(m)).toBeCloseTo(0.6, 3);
    expect(m.parameters().filter((p) => p.rank === 1).map((p) => Array.from(p.dataSync()))).toEqual(biases);
    expect(Object.keys(m.stateDict()).some((k) => k.endsWith('_mask') || k.endsWith('_orig'))).toBe(false);
  });

  it('--structured removes half the conv channels and the model still runs', () => {
    const m = cnn();
    const before = countParameters(m);
    const r = pruneStructured(m, 0.5, [1, 8, 8]);
    expect(r.groups.map((g) => [g.before, g.after])).toEqual([[16, 8], [32, 16]]);
    expect(countParameters(m)).toBeLessThan(before / 2);
    expect(m.call(randn([2, 1, 8, 8])).shape).toEqual([2, 10]);
  });

  it('--quantize int8 refuses NaN and empty calibration data, naming --calibrate and the sample', () => {
    const m = cnn();
    const good = randn([3, 1, 8, 8]);
    const nan = tensor([...Array(64 * 2).fill(0.5), NaN, ...Array(63).fill(0.5)], [3, 1, 8, 8]);
    expect(() => quantizeInt8(m, [good, nan], 'csv=x.csv', zeros([1, 1, 8, 8]))).toThrow(/--calibrate csv=x\.csv: sample 5 holds NaN/);
    expect(() => quantizeInt8(m, [], 'digits', zeros([1, 1, 8, 8]))).toThrow(CliError);
    expect(() => quantizeInt8(m, [], 'digits', zeros([1, 1, 8, 8]))).toThrow(/--calibrate digits: no calibration samples/);
    const { onnx } = quantizeInt8(m, [good], 'digits', zeros([1, 1, 8, 8]));
    expect(onnx.length).toBeGreaterThan(1000);
  });

  it('option parsers and combinations', () => {
    expect(pruneOption('0')).toBe(0);
    expect(pruneOption('0.9')).toBe(0.9);
    for (const bad of ['1', '-0.1', 'x', '', 'NaN']) expect(() => pruneOption(bad), bad).toThrow(/\[0, 1\)/);
    expect(quantizeOption('INT8')).toBe('int8');
    expect(() => quantizeOption('int4')).toThrow(/int8 or fp16/);
    expect(() => checkCombination({ out: 'a.onnx' })).toThrow(/nothing to do/);
    expect(() => checkCombination({ structured: true, quantize: 'int8', out: 'a.onnx' })).toThrow(/--structured needs --prune/);
    expect(() => checkCombination({ prune: 0.5, calibrate: 'digits', out: 'a.onnx' })).toThrow(/--calibrate is for --quantize int8/);
    expect(() => checkCombination({ prune: 0.5 })).toThrow(/--out/);
    expect(() => checkCombination({ prune: 0.5, quantize: 'int8', calibrate: 'digits', out: 'a.onnx' })).not.toThrow();
  });
});
