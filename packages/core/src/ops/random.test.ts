import { describe, expect, it } from 'vitest';
import {
  arange,
  bernoulli,
  eye,
  full,
  Generator,
  getDefaultGenerator,
  linspace,
  manualSeed,
  normal,
  rand,
  randint,
  randn,
  randperm,
  uniform,
} from '../index.js';

const vals = (t: { dataSync(): ArrayLike<number> }) => Array.from(t.dataSync());
const meanOf = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
const stdOf = (a: number[]) => {
  const m = meanOf(a);
  return Math.sqrt(a.reduce((s, v) => s + (v - m) ** 2, 0) / (a.length - 1));
};

describe('Generator (xoshiro128** seeded by splitmix32)', () => {
  it('matches the reference xoshiro128** outputs from state {1, 2, 3, 4}', () => {
    const g = new Generator(0).setState({ s: [1, 2, 3, 4], spare: null, seed: 0 });
    const out = Array.from({ length: 8 }, () => g.nextUint32());
    // from Blackman & Vigna's reference C implementation
    expect(out).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849]);
  });

  it('same seed ⇒ same stream; different seeds differ', () => {
    const a = new Generator(123);
    const b = new Generator(123);
    const c = new Generator(124);
    const sa = Array.from({ length: 20 }, () => a.nextUint32());
    const sb = Array.from({ length: 20 }, () => b.nextUint32());
    const sc = Array.from({ length: 20 }, () => c.nextUint32());
    expect(sa).toEqual(sb);
    expect(sa).not.toEqual(sc);
    // large seeds use their high bits too
    const hi1 = new Generator(2 ** 40 + 5).nextUint32();
    const hi2 = new Generator(2 ** 41 + 5).nextUint32();
    expect(hi1).not.toBe(hi2);
  });

  it('floats lie in [0, 1); state save/restore and clone reproduce the stream', () => {
    const g = new Generator(7);
    for (let i = 0; i < 1000; i++) {
      const f = g.nextFloat();
      const f32 = g.nextFloat32();
      expect(f >= 0 && f < 1).toBe(true);
      expect(f32 >= 0 && f32 < 1 && Math.fround(f32) === f32).toBe(true);
    }
    g.nextNormal(); // leaves a cached spare
    const st = g.getState();
    const c = g.clone();
    const x = [g.nextNormal(), g.nextNormal(), g.nextFloat()];
    expect([c.nextNormal(), c.nextNormal(), c.nextFloat()]).toEqual(x);
    g.setState(st);
    expect([g.nextNormal(), g.nextNormal(), g.nextFloat()]).toEqual(x);
    expect(g.initialSeed()).toBe(7);
  });

  it('nextBelow is unbiased and in range', () => {
    const g = new Generator(1);
    const counts = new Array(6).fill(0);
    for (let i = 0; i < 60000; i++) counts[g.nextBelow(6)]++;
    for (const c of counts) expect(Math.abs(c - 10000)).toBeLessThan(500);
    for (let i = 0; i < 100; i++) {
      const v = g.nextBelow(2 ** 40);
      expect(Number.isInteger(v) && v >= 0 && v < 2 ** 40).toBe(true);
    }
  });
});

describe('random ops', () => {
  it('manualSeed makes the global stream reproducible', () => {
    manualSeed(42);
    const a = vals(rand([5]));
    const n1 = vals(randn([4]));
    manualSeed(42);
    expect(vals(rand([5]))).toEqual(a);
    expect(vals(randn([4]))).toEqual(n1);
    expect(getDefaultGenerator().initialSeed()).toBe(42);
  });

  it('every op is reproducible with an explicit generator and leaves the global one alone', () => {
    const run = () => {
      const g = new Generator(99);
      return [
        vals(rand([3], { generator: g })),
        vals(randn([3], { generator: g })),
        vals(uniform([3], -2, 5, { generator: g })),
        vals(normal([3], 10, 2, { generator: g })),
        vals(randint(-5, 5, [6], { generator: g })),
        vals(bernoulli(full([6], 0.5), { generator: g })),
        vals(randperm(7, { generator: g })),
      ];
    };
    manualSeed(5);
    const before = getDefaultGenerator().getState();
    expect(run()).toEqual(run());
    expect(getDefaultGenerator().getState()).toEqual(before);
  });

  it('rand: U[0,1), dtype, shape and moments', () => {
    const g = new Generator(3);
    const t = rand([100, 100], { generator: g });
    expect(t.shape).toEqual([100, 100]);
    expect(t.dtype).toBe('float32');
    const v = vals(t);
    expect(Math.min(...v)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...v)).toBeLessThan(1);
    expect(meanOf(v)).toBeCloseTo(0.5, 1);
    expect(Math.abs(stdOf(v) - Math.sqrt(1 / 12))).toBeLessThan(0.01);
    expect(rand([2], { dtype: 'float64' }).dtype).toBe('float64');
    expect(rand([2], { dtype: 'float16' }).dtype).toBe('float16');
    expect(() => rand([2], { dtype: 'int32' })).toThrow(/float/);
    expect(rand([0]).shape).toEqual([0]);
    expect(rand([]).shape).toEqual([]);
  });

  it('randn, normal and uniform have the right moments and ranges', () => {
    const g = new Generator(11);
    const z = vals(randn([20000], { generator: g, dtype: 'float64' }));
    expect(Math.abs(meanOf(z))).toBeLessThan(0.03);
    expect(Math.abs(stdOf(z) - 1)).toBeLessThan(0.03);
    const n = vals(normal([20000], 3, 0.5, { generator: g }));
    expect(Math.abs(meanOf(n) - 3)).toBeLessThan(0.02);
    expect(Math.abs(stdOf(n) - 0.5)).toBeLessThan(0.02);
    const u = vals(uniform([20000], -2, 4, { generator: g }));
    expect(Math.min(...u)).toBeGreaterThanOrEqual(-2);
    expect(Math.max(...u)).toBeLessThan(4);
    expect(Math.abs(meanOf(u) - 1)).toBeLessThan(0.05);
    expect(() => normal([2], 0, -1)).toThrow();
    expect(() => uniform([2], 1, 0)).toThrow();
  });

  it('randint: int32 by default, range [low, high), every value drawn', () => {
    const t = randint(-3, 4, [5000], { generator: new Generator(2) });
    expect(t.dtype).toBe('int32');
    const v = vals(t);
    expect(new Set(v)).toEqual(new Set([-3, -2, -1, 0, 1, 2, 3]));
    expect(randint(0, 10, [3], { dtype: 'int64' }).dtype).toBe('int64');
    expect(() => randint(3, 3, [1])).toThrow();
    expect(() => randint(0, 300, [1], { dtype: 'uint8' })).toThrow(/fit/);
  });

  it('bernoulli: shape/dtype of p, frequencies, extremes and validation', () => {
    const g = new Generator(8);
    const p = full([10000], 0.3, 'float64');
    const b = bernoulli(p, { generator: g });
    expect(b.dtype).toBe('float64');
    const v = vals(b);
    expect(v.every((x) => x === 0 || x === 1)).toBe(true);
    expect(Math.abs(meanOf(v) - 0.3)).toBeLessThan(0.02);
    expect(vals(bernoulli([0, 1, 0, 1], { generator: g }))).toEqual([0, 1, 0, 1]);
    expect(bernoulli([0.5, 0.5]).dtype).toBe('float32');
    expect(() => bernoulli([1.5])).toThrow(/\[0, 1\]/);
  });

  it('randperm is a permutation (int64 by default)', () => {
    const t = randperm(50, { generator: new Generator(4) });
    expect(t.dtype).toBe('int64');
    const v = vals(t);
    expect([...v].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(v).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(randperm(0).shape).toEqual([0]);
  });
});

describe('ranges', () => {
  it('arange follows PyTorch (one argument = stop; length ceil((stop-start)/step))', () => {
    expect(vals(arange(5))).toEqual([0, 1, 2, 3, 4]);
    expect(arange(5).dtype).toBe('float32');
    expect(vals(arange(2, 5))).toEqual([2, 3, 4]);
    expect(vals(arange(1, 2, 0.25))).toEqual([1, 1.25, 1.5, 1.75]);
    expect(arange(0, 1, 0.3).shape).toEqual([4]); // ceil(3.33) = 4
    expect(vals(arange(5, 0, -2))).toEqual([5, 3, 1]);
    expect(arange(3, 1).shape).toEqual([0]);
    const i = arange(0, 6, 2, 'int32');
    expect(i.dtype).toBe('int32');
    expect(vals(i)).toEqual([0, 2, 4]);
    expect(() => arange(0, 1, 0)).toThrow(/step/);
  });

  it('linspace includes both ends', () => {
    expect(vals(linspace(0, 1, 5))).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(vals(linspace(-1, 1, 1))).toEqual([-1]);
    expect(linspace(0, 1, 0).shape).toEqual([0]);
    const l = vals(linspace(0, 1, 7, 'float64'));
    expect(l[0]).toBe(0);
    expect(l[6]).toBe(1);
    l.forEach((v, k) => expect(v).toBeCloseTo(k / 6, 14));
    expect(vals(linspace(10, 0, 3))).toEqual([10, 5, 0]);
  });

  it('eye builds identity and rectangular matrices', () => {
    expect(vals(eye(2))).toEqual([1, 0, 0, 1]);
    const r = eye(2, 3, 'int32');
    expect(r.shape).toEqual([2, 3]);
    expect(r.dtype).toBe('int32');
    expect(vals(r)).toEqual([1, 0, 0, 0, 1, 0]);
    expect(vals(eye(3, 2))).toEqual([1, 0, 0, 1, 0, 0]);
  });
});
