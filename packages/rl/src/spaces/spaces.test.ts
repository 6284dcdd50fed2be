import { Generator } from '@mapnn/core';
import { describe, expect, it } from 'vitest';
import { Box, checkAction, Discrete, flatDim, MultiDiscrete } from './index.js';

describe('Box', () => {
  it('broadcasts scalar bounds, rounds float32 bounds and checks membership', () => {
    const b = new Box(-2, 2, [2, 3]);
    expect(b.shape).toEqual([2, 3]);
    expect(b.low.length).toBe(6);
    expect(b.contains(new Float32Array(6).fill(2))).toBe(true);
    expect(b.contains(new Float32Array(6).fill(2.001))).toBe(false);
    expect(b.contains(new Float32Array(5))).toBe(false);
    expect(b.contains('no')).toBe(false);
    expect(new Box(-1, 1, [1]).contains(0.5)).toBe(true);
    expect(new Box([0.1], [1]).low[0]).toBe(Math.fround(0.1));
    expect(new Box(0, 3, [2], 'int64').contains([1, 2])).toBe(true);
    expect(new Box(0, 3, [2], 'int64').contains([1, 2.5])).toBe(false);
  });

  it('rejects bad bounds with the offending element', () => {
    expect(() => new Box([0, 2], [1, 1])).toThrow('Box: low 2 > high 1 at element 1');
    expect(() => new Box([0, 1], [1, 2], [3])).toThrow(/low has 2 values, shape \(3,\) needs 3/);
  });

  it('samples uniformly inside bounded boxes and reproducibly from a seeded generator', () => {
    const b = new Box([-1, 0, 5], [1, 0.5, 6]);
    const g = new Generator(3);
    const xs = Array.from({ length: 2000 }, () => b.sample(g));
    expect(xs.every((x) => b.contains(x))).toBe(true);
    const mean = xs.reduce((s, x) => s + x[0]!, 0) / xs.length;
    expect(Math.abs(mean)).toBeLessThan(0.05);
    expect(Array.from(b.sample(new Generator(9)))).toEqual(Array.from(b.sample(new Generator(9))));
    expect(b.sample()).toBeInstanceOf(Float32Array);
    expect(new Box(0, 1, [1], 'float64').sample()).toBeInstanceOf(Float64Array);
  });

  it('samples half-bounded elements on the bounded side and integers for integer dtypes', () => {
    const b = new Box([0, -Infinity, -Infinity], [Infinity, 0, Infinity], undefined, 'float64');
    const g = new Generator(1);
    for (let i = 0; i < 200; i++) {
      const x = b.sample(g);
      expect(x[0]).toBeGreaterThanOrEqual(0);
      expect(x[1]).toBeLessThanOrEqual(0);
    }
    const ints = new Box(0, 2, [1], 'int64');
    const seen = new Set(Array.from({ length: 300 }, () => ints.sample(g)[0]));
    expect([...seen].sort()).toEqual([0, 1, 2]);
  });

  it("prints Gymnasium's repr", () => {
    expect(new Box(-2, 2, [1]).toString()).toBe('Box(-2.0, 2.0, (1,), float32)');
    expect(new Box([-1.2, -0.07], [0.6, 0.07]).toString()).toBe('Box([-1.2  -0.07], [0.6  0.07], (2,), float32)');
    expect(new Box([-1, -1, -8], [1, 1, 8]).toString()).toBe('Box([-1. -1. -8.], [1. 1. 8.], (3,), float32)');
    expect(new Box(0, 255, [2, 2], 'uint8').toString()).toBe('Box(0, 255, (2, 2), uint8)');
    expect(new Box([0.1, 1e-5], [1e20, 2], undefined, 'float64').toString()).toBe('Box([1.e-01 1.e-05], [1.e+20 2.e+00], (2,), float64)');
    const th = (12 * 2 * Math.PI) / 360;
    expect(new Box([-4.8, -Infinity, -2 * th, -Infinity], [4.8, Infinity, 2 * th, Infinity]).toString()).toBe(
      'Box([-4.8               -inf -0.41887903        -inf], [4.8               inf 0.41887903        inf], (4,), float32)',
    );
  });
});

describe('Discrete', () => {
  it('holds start … start + n − 1', () => {
    const d = new Discrete(3, -1);
    expect([-2, -1, 0, 1, 2, 0.5].map((v) => d.contains(v))).toEqual([false, true, true, true, false, false]);
    expect(d.contains('1')).toBe(false);
    expect(d.toString()).toBe('Discrete(3, start=-1)');
    expect(new Discrete(2).toString()).toBe('Discrete(2)');
    expect(() => new Discrete(0)).toThrow('Discrete: n must be a positive integer, got 0');
  });

  it('samples every value, reproducibly', () => {
    const d = new Discrete(4, 10);
    const g = new Generator(5);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 4000; i++) counts[d.sample(g) - 10]!++;
    for (const c of counts) expect(c).toBeGreaterThan(850);
    expect(d.sample(new Generator(2))).toBe(d.sample(new Generator(2)));
  });
});

describe('MultiDiscrete', () => {
  it('checks each element against its nvec and samples inside', () => {
    const m = new MultiDiscrete([3, 2]);
    expect(m.shape).toEqual([2]);
    expect(m.contains(Int32Array.of(2, 1))).toBe(true);
    expect(m.contains([2, 2])).toBe(false);
    expect(m.contains([-1, 0])).toBe(false);
    expect(m.contains([1])).toBe(false);
    const g = new Generator(0);
    for (let i = 0; i < 100; i++) expect(m.contains(m.sample(g))).toBe(true);
    expect(m.toString()).toBe('MultiDiscrete([3 2])');
    expect(() => new MultiDiscrete([2, 0])).toThrow('MultiDiscrete: nvec[1] must be a positive integer, got 0');
  });
});

describe('flatDim and checkAction', () => {
  it('flatDim: shape product, n, sum of nvec', () => {
    expect(flatDim(new Box(0, 1, [2, 3]))).toBe(6);
    expect(flatDim(new Discrete(5))).toBe(5);
    expect(flatDim(new MultiDiscrete([3, 4]))).toBe(7);
  });

  it('checkAction names the env, the action and the space', () => {
    expect(() => checkAction(new Discrete(2), 1, 'CartPole-v1')).not.toThrow();
    expect(() => checkAction(new Discrete(2), 2, 'CartPole-v1')).toThrow('CartPole-v1: action 2 is not in the action space Discrete(2)');
    expect(() => checkAction(new Box(-2, 2, [1]), Float32Array.of(3), 'Pendulum-v1')).toThrow(
      'Pendulum-v1: action [3] is not in the action space Box(-2.0, 2.0, (1,), float32)',
    );
  });
});
