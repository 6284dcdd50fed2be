import '@mapnn/backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { Generator, setBackend, tensor, tidy } from '@mapnn/core';
import { Linear, ReLU, Sequential } from '@mapnn/layers';
import { encodeSafetensors } from '@mapnn/train';
import { encodeHalfSafetensors, loadHalfSafetensors, roundToHalf, toHalf } from '../index.js';
import { bfloat16BitsToFloat32, float32ToBfloat16Bits } from './bfloat16.js';

beforeAll(() => setBackend('cpu'));

const mlp = (seed: number) => {
  const g = new Generator(seed);
  return new Sequential(new Linear(32, 64, { generator: g }), new ReLU(), new Linear(64, 10, { generator: g }));
};
const input = () => tensor(Array.from({ length: 4 * 32 }, (_, i) => Math.sin(i * 0.7)), [4, 32]);
const out = (m: Sequential) => Array.from(tidy(() => m.call(input()).float().dataSync()));

describe('bfloat16 conversion', () => {
  it('keeps the upper 16 bits, rounding to nearest even', () => {
    expect(float32ToBfloat16Bits(1)).toBe(0x3f80);
    expect(float32ToBfloat16Bits(-2)).toBe(0xc000);
    // 1 + 2^-8 is halfway between 1 and 1 + 2^-7: ties to even (1); a bit above rounds up
    expect(float32ToBfloat16Bits(1 + 2 ** -8)).toBe(0x3f80);
    expect(float32ToBfloat16Bits(1 + 2 ** -8 + 2 ** -16)).toBe(0x3f81);
    expect(float32ToBfloat16Bits(1 + 3 * 2 ** -8)).toBe(0x3f82); // tie, odd below → up
    expect(bfloat16BitsToFloat32(0x3f81)).toBe(1 + 2 ** -7);
    expect(Number.isNaN(bfloat16BitsToFloat32(float32ToBfloat16Bits(NaN)))).toBe(true);
    expect(bfloat16BitsToFloat32(float32ToBfloat16Bits(Infinity))).toBe(Infinity);
  });
});

describe('toHalf', () => {
  it('float16: the weights become float16 tensors and the outputs agree with float32 to half precision', () => {
    const ref = out(mlp(1));
    const m = mlp(1);
    expect(toHalf(m)).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    expect((m as any)[0].weight.dtype).toBe('float16');
    expect(m.parameters().every((p) => p.dtype === 'float16' && p.requiresGrad)).toBe(true);
    const got = out(m);
    got.forEach((v, i) => expect(Math.abs(v - ref[i]!)).toBeLessThan(5e-3 * Math.max(1, Math.abs(ref[i]!))));
    expect(got).not.toEqual(ref); // it really rounded
  });

  it('bfloat16: float32 tensors holding bfloat16 values', () => {
    const m = mlp(2);
    const before = Array.from((m as any)[0].weight.dataSync() as Float32Array);
    toHalf(m, { dtype: 'bfloat16' });
    const after = Array.from((m as any)[0].weight.dataSync() as Float32Array);
    expect((m as any)[0].weight.dtype).toBe('float32');
    expect(after).toEqual(before.map((v) => roundToHalf(v, 'bfloat16')));
    expect(after.every((v) => bfloat16BitsToFloat32(float32ToBfloat16Bits(v)) === v)).toBe(true);
  });

  it('refuses an unknown dtype', () => {
    expect(() => toHalf(mlp(3), { dtype: 'float8' as never })).toThrow(/toHalf: dtype must be 'float16' or 'bfloat16', got 'float8'/);
  });
});

describe('half checkpoints', () => {
  it.each(['float16', 'bfloat16'] as const)('%s: about half the bytes of float32 and loads back the rounded values exactly', (dtype) => {
    const m = mlp(4);
    const full = encodeSafetensors(m.stateDict()).length;
    const half = encodeHalfSafetensors(m, { dtype });
    expect(half.length).toBeLessThan(full * 0.52);
    expect(new TextDecoder().decode(half.subarray(8, 200))).toContain(dtype === 'float16' ? '"F16"' : '"BF16"');
    const fresh = loadHalfSafetensors(mlp(5), half);
    const w = Array.from((m as any)[0].weight.dataSync() as Float32Array).map((v) => roundToHalf(v, dtype));
    expect(Array.from((fresh as any)[0].weight.dataSync() as Float32Array)).toEqual(w);
  });
});

describe('half checkpoints of a halved model', () => {
  it('a model already passed through toHalf writes its float16 values, not their bits read as floats', () => {
    const m = mlp(6);
    toHalf(m);
    const expected = Array.from((m as any)[0].weight.dataSync() as Float32Array);
    expect(expected.some((v) => v !== 0)).toBe(true);
    const fresh = loadHalfSafetensors(mlp(7), encodeHalfSafetensors(m));
    expect(Array.from((fresh as any)[0].weight.dataSync() as Float32Array)).toEqual(expected);
  });
});
