import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decodeTensor, decodeTensorProto, type HostTensor } from '@mapnn/onnx';
import { describe, expect, it } from 'vitest';
import { computeQParams, dequantizeArray, dequantizeValue, quantizeArray, quantizeValue, quantRange, type QParams, type QuantDType } from './qparams.js';
import { dequantizeWeight, quantizeBias, quantizeWeightPerChannel } from './weight-quant.js';

const NODE = fileURLToPath(new URL('../../../../../shared/onnx-testdata/node/', import.meta.url));

function pb(test: string, file: string): HostTensor {
  return decodeTensor(decodeTensorProto(readFileSync(`${NODE}${test}/test_data_set_0/${file}.pb`)));
}

/** Per-axis parameters of an ONNX spec case: element k of `shape` uses entry ⌊k / inner⌋ mod C. */
function perAxis(x: HostTensor, scale: HostTensor, zp: HostTensor, axis: number, dtype: QuantDType): (k: number) => QParams {
  if (scale.shape.length === 0 || scale.data.length === 1) return () => ({ scale: scale.data[0]!, zeroPoint: zp.data[0]!, dtype });
  const inner = x.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const c = x.shape[axis]!;
  return (k) => ({ scale: scale.data[Math.floor(k / inner) % c]!, zeroPoint: zp.data[Math.floor(k / inner) % c]!, dtype });
}

describe.skipIf(!existsSync(NODE))('ONNX spec cases (../shared/onnx-testdata)', () => {
  for (const test of ['test_quantizelinear', 'test_quantizelinear_axis']) {
    it(test, () => {
      const [x, s, zp, y] = [pb(test, 'input_0'), pb(test, 'input_1'), pb(test, 'input_2'), pb(test, 'output_0')];
      const dtype = y.dtype as QuantDType;
      const q = perAxis(x, s, zp, 1, dtype);
      expect(Array.from(x.data, (v, k) => quantizeValue(v, q(k)))).toEqual(Array.from(y.data));
    });
  }
  for (const test of ['test_dequantizelinear', 'test_dequantizelinear_axis']) {
    it(test, () => {
      const [x, s, zp, y] = [pb(test, 'input_0'), pb(test, 'input_1'), pb(test, 'input_2'), pb(test, 'output_0')];
      const q = perAxis(x, s, zp, 1, x.dtype as QuantDType);
      expect(Array.from(x.data, (v, k) => dequantizeValue(v, q(k)))).toEqual(Array.from(y.data));
    });
  }
});

describe('quantization parameters (hand-computed)', () => {
  it('int8 asymmetric: [-1, 3] → scale 4/255, zero point round(-128 + 1/scale) = -64', () => {
    const q = computeQParams(-1, 3, { dtype: 'int8' });
    expect(q.scale).toBe(Math.fround(4 / 255));
    expect(q.zeroPoint).toBe(-64); // -128 + 63.75 = -64.25 → -64
  });

  it('widens the range to hold 0 (a ReLU output [0.5, 2] uses [0, 2]); uint8 zero point 0', () => {
    expect(computeQParams(0.5, 2, { dtype: 'uint8' })).toEqual({ scale: Math.fround(2 / 255), zeroPoint: 0, dtype: 'uint8' });
    expect(computeQParams(0, 2, { dtype: 'int8' })).toEqual({ scale: Math.fround(2 / 255), zeroPoint: -128, dtype: 'int8' });
  });

  it('symmetric int8 uses [-127, 127] with zero point 0', () => {
    expect(quantRange('int8', true)).toEqual([-127, 127]);
    expect(computeQParams(-0.5, 2.54, { dtype: 'int8', symmetric: true })).toEqual({ scale: Math.fround(2.54 / 127), zeroPoint: 0, dtype: 'int8' });
  });

  it('an all-zero range gets scale 1 and zero point 0', () => {
    expect(computeQParams(0, 0, { dtype: 'int8' })).toEqual({ scale: 1, zeroPoint: 0, dtype: 'int8' });
  });

  it('rejects a non-finite or reversed range', () => {
    expect(() => computeQParams(NaN, 1, { dtype: 'int8' })).toThrow(/finite/);
    expect(() => computeQParams(2, 1, { dtype: 'int8' })).toThrow(/lo ≤ hi/);
  });

  it('rounds halves to even and saturates (ONNX QuantizeLinear)', () => {
    const q: QParams = { scale: 1, zeroPoint: 0, dtype: 'int8' };
    expect(Array.from(quantizeArray([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 300, -300], q))).toEqual([0, 2, 2, 0, -2, -2, 127, -128]);
    const u: QParams = { scale: 2, zeroPoint: 128, dtype: 'uint8' };
    expect(Array.from(quantizeArray([1, 3, -1000, 1000], u))).toEqual([128, 130, 0, 255]);
    expect(Array.from(dequantizeArray([0, 128, 255], u))).toEqual([-256, 0, 254]);
  });
});

describe('per-channel weights and int32 bias', () => {
  it('scale_c = max|w_c| / 127, values in [-127, 127]', () => {
    const w = quantizeWeightPerChannel([1, -2, 0.5, 0.25, 0, 0], [3, 2], 'fc');
    expect(Array.from(w.scales)).toEqual([Math.fround(2 / 127), Math.fround(0.5 / 127), 1]);
    expect(Array.from(w.values)).toEqual([64, -127, 127, 64, 0, 0]); // 63.5 → 64 (half to even), 63.5 → 64
    expect(Array.from(dequantizeWeight(w)).map((v) => +v.toFixed(4))).toEqual([1.0079, -2, 0.5, 0.252, 0, 0]);
  });

  it('names the layer of a non-finite weight', () => {
    expect(() => quantizeWeightPerChannel([1, NaN], [1, 2], 'features.0')).toThrow(/layer 'features.0'.*non-finite/);
  });

  it('bias: int32 with scale input_scale · weight_scale_c, zero point 0', () => {
    const b = quantizeBias([0.3, -1], 0.1, Float32Array.of(0.5, 0.25));
    expect(Array.from(b.scales)).toEqual([Math.fround(0.05), Math.fround(0.025)]);
    expect(Array.from(b.values)).toEqual([6, -40]);
  });
});
