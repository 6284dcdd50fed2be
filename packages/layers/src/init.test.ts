import '../test/setup.js';
import { describe, expect, it } from 'vitest';
import { Generator, matmul, tidy, transpose, type Tensor } from '@mapnn/core';
import {
  BatchNorm2d,
  calculateGain,
  computeFans,
  constant,
  Conv2d,
  ConvTranspose2d,
  Embedding,
  GroupNorm,
  init,
  kaimingNormal,
  kaimingUniform,
  LayerNorm,
  lecunNormal,
  lecunUniform,
  Linear,
  onesInit,
  orthogonal,
  PReLU,
  xavierNormal,
  xavierUniform,
  zerosInit,
} from './index.js';

function stats(t: Tensor): { mean: number; std: number; min: number; max: number } {
  const d = t.dataSync();
  let s = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of d) {
    s += v;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const mean = s / d.length;
  let q = 0;
  for (const v of d) q += (v - mean) ** 2;
  return { mean, std: Math.sqrt(q / d.length), min, max };
}

describe('calculateGain and fans (torch.nn.init)', () => {
  it('matches calculate_gain', () => {
    expect(calculateGain('linear')).toBe(1);
    expect(calculateGain('conv2d')).toBe(1);
    expect(calculateGain('sigmoid')).toBe(1);
    expect(calculateGain('tanh')).toBeCloseTo(5 / 3, 12);
    expect(calculateGain('relu')).toBeCloseTo(Math.SQRT2, 12);
    expect(calculateGain('leaky_relu')).toBeCloseTo(Math.sqrt(2 / (1 + 0.01 ** 2)), 12);
    expect(calculateGain('leaky_relu', Math.sqrt(5))).toBeCloseTo(Math.sqrt(1 / 3), 12);
    expect(calculateGain('selu')).toBe(0.75);
  });

  it('computes fan_in / fan_out with the receptive field', () => {
    expect(computeFans([16, 3, 5, 5])).toEqual([75, 400]);
    expect(computeFans([10, 20])).toEqual([20, 10]);
    expect(() => computeFans([5])).toThrow(/fewer than 2 dims/);
  });
});

describe('initializers', () => {
  const g = () => new Generator(123);

  it('kaimingUniform: bounds gain·√(3/fan), mode fan_out, a=√5 gives 1/√fan_in', () => {
    tidy(() => {
      const w = kaimingUniform([200, 100], { generator: g() }); // relu-like gain √2 (a = 0)
      const b = Math.SQRT2 * Math.sqrt(3 / 100);
      const s = stats(w);
      expect(s.max).toBeLessThanOrEqual(b);
      expect(s.min).toBeGreaterThanOrEqual(-b);
      expect(s.max).toBeGreaterThan(0.98 * b);
      expect(s.std).toBeCloseTo(b / Math.sqrt(3), 2);
      const w5 = kaimingUniform([64, 50], { a: Math.sqrt(5), generator: g() });
      expect(stats(w5).max).toBeLessThanOrEqual(1 / Math.sqrt(50));
      expect(stats(w5).max).toBeGreaterThan(0.97 / Math.sqrt(50));
      const wo = kaimingUniform([50, 400], { mode: 'fan_out', nonlinearity: 'relu', generator: g() });
      expect(stats(wo).max).toBeLessThanOrEqual(Math.SQRT2 * Math.sqrt(3 / 50));
      expect(stats(wo).max).toBeGreaterThan(0.97 * Math.SQRT2 * Math.sqrt(3 / 50));
    });
  });

  it('kaimingNormal / xavier / lecun have the documented standard deviations', () => {
    tidy(() => {
      const n = [400, 250] as const;
      expect(stats(kaimingNormal([...n], { generator: g() })).std).toBeCloseTo(Math.SQRT2 / Math.sqrt(250), 3);
      expect(stats(kaimingNormal([...n], { mode: 'fan_out', nonlinearity: 'tanh', generator: g() })).std).toBeCloseTo(5 / 3 / Math.sqrt(400), 3);
      const xs = Math.sqrt(2 / 650);
      expect(stats(xavierNormal([...n], { generator: g() })).std).toBeCloseTo(xs, 3);
      const xu = stats(xavierUniform([...n], { gain: 2, generator: g() }));
      expect(xu.max).toBeLessThanOrEqual(2 * Math.sqrt(6 / 650));
      expect(xu.std).toBeCloseTo(2 * xs, 3);
      expect(stats(lecunNormal([...n], { generator: g() })).std).toBeCloseTo(1 / Math.sqrt(250), 3);
      const lu = stats(lecunUniform([...n], { generator: g() }));
      expect(lu.max).toBeLessThanOrEqual(Math.sqrt(3 / 250));
      expect(lu.std).toBeCloseTo(1 / Math.sqrt(250), 3);
      expect(Math.abs(lu.mean)).toBeLessThan(0.002);
    });
  });

  it('orthogonal gives Q with QᵀQ = I (tall) or QQᵀ = I (wide), scaled by gain', () => {
    tidy(() => {
      for (const [shape, gain] of [
        [[6, 4], 1],
        [[3, 7], 2],
        [[4, 2, 3], 1],
      ] as const) {
        const q = orthogonal([...shape], { gain, generator: g() });
        expect(q.shape).toEqual(shape);
        const rows = shape[0];
        const m = q.reshape([rows, -1]);
        const cols = m.shape[1]!;
        const prod = rows >= cols ? matmul(transpose(m), m) : matmul(m, transpose(m));
        const k = Math.min(rows, cols);
        const d = prod.dataSync();
        for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) expect(d[i * k + j]).toBeCloseTo(i === j ? gain * gain : 0, 5);
      }
    });
  });

  it('constant / zeros / ones and in-place initialization of an existing tensor', () => {
    tidy(() => {
      expect(Array.from(constant([3], 0.5).dataSync())).toEqual([0.5, 0.5, 0.5]);
      expect(Array.from(zerosInit([2]).dataSync())).toEqual([0, 0]);
      expect(Array.from(onesInit([2], { dtype: 'float64' }).dataSync())).toEqual([1, 1]);
      const fc = new Linear(3, 2);
      const w = fc.weight;
      const out = init.zeros(fc.weight);
      expect(out).toBe(w);
      expect(fc.weight).toBe(w);
      expect(Array.from(w.dataSync())).toEqual([0, 0, 0, 0, 0, 0]);
      expect(w.requiresGrad).toBe(true);
      init.xavierUniform(fc.weight, { generator: g() });
      expect(stats(fc.weight).max).toBeGreaterThan(0);
      fc.dispose();
    });
  });

  it('is reproducible with a seeded generator', () => {
    tidy(() => {
      const a = Array.from(kaimingNormal([5, 5], { generator: new Generator(9) }).dataSync());
      const b = Array.from(kaimingNormal([5, 5], { generator: new Generator(9) }).dataSync());
      const c = Array.from(kaimingNormal([5, 5], { generator: new Generator(10) }).dataSync());
      expect(a).toEqual(b);
      expect(a).not.toEqual(c);
      const l1 = new Linear(4, 3, { generator: new Generator(1) });
      const l2 = new Linear(4, 3, { generator: new Generator(1) });
      expect(Array.from(l1.weight.dataSync())).toEqual(Array.from(l2.weight.dataSync()));
      expect(Array.from(l1.bias!.dataSync())).toEqual(Array.from(l2.bias!.dataSync()));
      l1.dispose();
      l2.dispose();
    });
  });
});

describe('default layer inits match PyTorch', () => {
  it('Linear / Conv2d / ConvTranspose2d: weights and biases U(±1/√fan_in)', () => {
    const fc = new Linear(300, 200, { generator: new Generator(1) });
    const bw = 1 / Math.sqrt(300);
    expect(stats(fc.weight).max).toBeLessThanOrEqual(bw);
    expect(stats(fc.weight).max).toBeGreaterThan(0.99 * bw);
    expect(stats(fc.weight).min).toBeGreaterThanOrEqual(-bw);
    expect(stats(fc.weight).std).toBeCloseTo(bw / Math.sqrt(3), 3);
    expect(stats(fc.bias!).max).toBeLessThanOrEqual(bw);
    expect(stats(fc.bias!).min).toBeGreaterThanOrEqual(-bw);
    expect(stats(fc.bias!).max).toBeGreaterThan(0.8 * bw);
    const conv = new Conv2d(8, 64, 3, { groups: 2, generator: new Generator(2) });
    const bc = 1 / Math.sqrt(4 * 9); // fan_in = Cin/groups·kh·kw
    expect(stats(conv.weight).max).toBeLessThanOrEqual(bc);
    expect(stats(conv.weight).max).toBeGreaterThan(0.98 * bc);
    expect(stats(conv.bias!).max).toBeLessThanOrEqual(bc);
    const ct = new ConvTranspose2d(64, 8, 3, { generator: new Generator(3) });
    const bt = 1 / Math.sqrt(8 * 9); // PyTorch computes fan_in from weight dim 1 (= Cout/groups)
    expect(stats(ct.weight).max).toBeLessThanOrEqual(bt);
    expect(stats(ct.weight).max).toBeGreaterThan(0.98 * bt);
    for (const m of [fc, conv, ct]) m.dispose();
  });

  it('Embedding N(0, 1) with the padding row zeroed; norms ones/zeros; PReLU 0.25', () => {
    const e = new Embedding(500, 20, { paddingIdx: -1, generator: new Generator(4) });
    expect(e.paddingIdx).toBe(499);
    const w = e.weight.dataSync();
    expect(Array.from(w.subarray(499 * 20))).toEqual(new Array(20).fill(0));
    const s = stats(e.weight);
    expect(s.std).toBeCloseTo(1, 1);
    expect(Math.abs(s.mean)).toBeLessThan(0.05);
    const bn = new BatchNorm2d(3);
    const ln = new LayerNorm([2, 3]);
    const gn = new GroupNorm(1, 3);
    for (const m of [bn, ln, gn]) {
      expect(Array.from(m.weight!.dataSync()).every((v) => v === 1)).toBe(true);
      expect(Array.from(m.bias!.dataSync()).every((v) => v === 0)).toBe(true);
    }
    expect(Array.from(bn.runningMean!.dataSync())).toEqual([0, 0, 0]);
    expect(Array.from(bn.runningVar!.dataSync())).toEqual([1, 1, 1]);
    expect(bn.numBatchesTracked!.dtype).toBe('int64');
    expect(Array.from(new PReLU(2).weight.dataSync())).toEqual([0.25, 0.25]);
    for (const m of [e, bn, ln, gn]) m.dispose();
  });
});
