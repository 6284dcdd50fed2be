import { describe, expect, it } from 'vitest';
import {
  adaptiveAvgPool2d,
  avgPool1d,
  avgPool2d,
  dropout,
  Generator,
  globalAvgPool2d,
  globalMaxPool2d,
  grad,
  grads,
  maxPool1d,
  maxPool2d,
  memory,
  mul,
  ones,
  randn,
  sum,
  tensor,
  type Tensor,
} from '../index.js';

let seed = 100;
function rnd(shape: number[]): Float64Array {
  const g = new Generator(seed++);
  return Float64Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => g.nextFloat() * 2 - 1);
}
const t64 = (d: Float64Array, shape: number[]) => tensor(d, shape, 'float64');
const vals = (t: Tensor) => Array.from(t.dataSync());

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-9) {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i]! - expected[i]!)).toBeLessThan(tol * (1 + Math.abs(expected[i]!)));
}

function numGrad(f: (x: Float64Array) => number, x: Float64Array, eps = 1e-6): Float64Array {
  const g = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const p = x.slice();
    p[i] += eps;
    const m = x.slice();
    m[i] -= eps;
    g[i] = (f(p) - f(m)) / (2 * eps);
  }
  return g;
}

interface P {
  k: [number, number];
  s: [number, number];
  p: [number, number];
  d?: [number, number];
  ceil?: boolean;
  include?: boolean;
}

/** PyTorch's pooling output length. */
function outLen(n: number, k: number, s: number, p: number, d: number, ceil: boolean): number {
  const span = n + 2 * p - d * (k - 1) - 1;
  let o = (ceil ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
  if (ceil && (o - 1) * s >= n + p) o--;
  return o;
}

/** Direct max / avg pooling with PyTorch's window and divisor rules. */
function refPool(kind: 'max' | 'avg', x: Float64Array, xs: number[], c: P) {
  const [N, C, H, W] = xs as [number, number, number, number];
  const [dh, dw] = c.d ?? [1, 1];
  const oh = outLen(H, c.k[0], c.s[0], c.p[0], dh, !!c.ceil);
  const ow = outLen(W, c.k[1], c.s[1], c.p[1], dw, !!c.ceil);
  const y = new Float64Array(N * C * oh * ow);
  for (let nc = 0; nc < N * C; nc++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++) {
        const h0 = i * c.s[0] - c.p[0];
        const w0 = j * c.s[1] - c.p[1];
        let m = -Infinity;
        let s = 0;
        for (let a = 0; a < c.k[0]; a++)
          for (let b = 0; b < c.k[1]; b++) {
            const iy = h0 + a * dh;
            const ix = w0 + b * dw;
            if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
            const v = x[(nc * H + iy) * W + ix]!;
            m = Math.max(m, v);
            s += v;
          }
        let div: number;
        const h1 = Math.min(h0 + c.k[0], H + c.p[0]);
        const w1 = Math.min(w0 + c.k[1], W + c.p[1]);
        if (c.include ?? true) div = (h1 - h0) * (w1 - w0);
        else div = (Math.min(h1, H) - Math.max(h0, 0)) * (Math.min(w1, W) - Math.max(w0, 0));
        y[(nc * oh + i) * ow + j] = kind === 'max' ? m : s / div;
      }
  return { data: y, shape: [N, C, oh, ow] };
}

const cases: P[] = [
  { k: [2, 2], s: [2, 2], p: [0, 0] },
  { k: [3, 3], s: [2, 2], p: [1, 1] },
  { k: [3, 2], s: [1, 2], p: [1, 0] },
  { k: [3, 3], s: [2, 2], p: [0, 1], ceil: true },
  { k: [2, 3], s: [3, 2], p: [1, 1], ceil: true },
  { k: [3, 3], s: [2, 2], p: [1, 1], include: false },
  { k: [3, 3], s: [2, 2], p: [1, 1], ceil: true, include: false },
];

describe('maxPool2d / avgPool2d', () => {
  for (const c of cases) {
    it(`values: k=${c.k} s=${c.s} p=${c.p}${c.ceil ? ' ceil' : ''}${c.include === false ? ' excl. pad' : ''}`, () => {
      const xs = [2, 3, 7, 6];
      const x = rnd(xs);
      const opts = { kernelSize: c.k, stride: c.s, padding: c.p, ceilMode: c.ceil };
      const rm = refPool('max', x, xs, c);
      const ym = maxPool2d(t64(x, xs), opts);
      expect(ym.shape).toEqual(rm.shape);
      expectClose(ym.dataSync(), rm.data);
      const ra = refPool('avg', x, xs, c);
      const ya = avgPool2d(t64(x, xs), { ...opts, countIncludePad: c.include });
      expect(ya.shape).toEqual(ra.shape);
      expectClose(ya.dataSync(), ra.data);
    });
  }

  it('maxPool2d with dilation, default stride = kernel, unbatched input', () => {
    const xs = [1, 2, 9, 8];
    const x = rnd(xs);
    const c: P = { k: [2, 3], s: [2, 1], p: [1, 1], d: [3, 2] };
    const y = maxPool2d(t64(x, xs), { kernelSize: c.k, stride: c.s, padding: c.p, dilation: c.d });
    const r = refPool('max', x, xs, c);
    expect(y.shape).toEqual(r.shape);
    expectClose(y.dataSync(), r.data);
    expect(maxPool2d(randn([1, 3, 8, 8]), { kernelSize: 2 }).shape).toEqual([1, 3, 4, 4]);
    expect(avgPool2d(randn([3, 8, 8]), { kernelSize: 2 }).shape).toEqual([3, 4, 4]);
    expect(vals(maxPool2d(tensor([[[[1, 2], [3, 4]]]]), { kernelSize: 2 }))).toEqual([4]);
    expect(vals(avgPool2d(tensor([[[[1, 2], [3, 4]]]]), { kernelSize: 2 }))).toEqual([2.5]);
    expect(() => maxPool2d(randn([1, 1, 4, 4]), { kernelSize: 2, padding: 2 })).toThrow(/half/);
    expect(avgPool2d(randn([1, 1, 5, 5]), { kernelSize: 2, divisorOverride: 1 }).shape).toEqual([1, 1, 2, 2]);
  });

  it('1-D pooling', () => {
    const x = tensor([[[1, 5, 2, 8, 3, 0, 7]]]);
    expect(vals(maxPool1d(x, { kernelSize: 2 }))).toEqual([5, 8, 3]);
    expect(vals(maxPool1d(x, { kernelSize: 2, ceilMode: true }))).toEqual([5, 8, 3, 7]);
    expect(vals(maxPool1d(x, { kernelSize: 3, stride: 2, padding: 1 }))).toEqual([5, 8, 8, 7]);
    expect(vals(maxPool1d(x, { kernelSize: 2, dilation: 2, stride: 1 }))).toEqual([2, 8, 3, 8, 7]);
    expectClose(vals(avgPool1d(x, { kernelSize: 3, stride: 2 })), [8 / 3, 13 / 3, 10 / 3], 1e-6);
    const a = vals(avgPool1d(x, { kernelSize: 3, stride: 2, padding: 1, countIncludePad: false }));
    expectClose(a, [3, 5, 11 / 3, 3.5], 1e-6);
    expect(avgPool1d(randn([4, 10]), { kernelSize: 2 }).shape).toEqual([4, 5]);
  });

  it('gradients: max routes to the argmax, avg spreads evenly, both match finite differences', () => {
    const x = tensor([[[[1, 9, 2, 3], [4, 5, 8, 6], [0, 1, 2, 3], [7, 1, 1, 0]]]], undefined, 'float64');
    const g = grad((v) => sum(maxPool2d(v, { kernelSize: 2 })))(x);
    expect(vals(g)).toEqual([0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0, 0]);
    const ga = grad((v) => sum(avgPool2d(v, { kernelSize: 2 })))(x);
    expect(vals(ga)).toEqual(new Array(16).fill(0.25));

    const xs = [1, 2, 6, 5];
    const xv = rnd(xs);
    for (const c of [cases[1]!, cases[4]!, cases[6]!]) {
      const opts = { kernelSize: c.k, stride: c.s, padding: c.p, ceilMode: c.ceil, countIncludePad: c.include };
      const y0 = avgPool2d(t64(xv, xs), opts);
      const R = t64(rnd([...y0.shape]), [...y0.shape]);
      for (const pool of [maxPool2d, avgPool2d]) {
        const f = (v: Tensor) => sum(mul(pool(v, opts), R));
        const gv = grad(f)(t64(xv, xs));
        expectClose(gv.dataSync(), numGrad((v) => f(t64(v, xs)).item(), xv), 1e-6);
      }
    }
  });

  it('second order: the gradient of the gradient routes through the same argmax positions', () => {
    const x = tensor([[[[1, 9, 2, 3], [4, 5, 8, 6], [0, 1, 2, 3], [7, 1, 1, 0]]]], undefined, 'float64');
    const w = tensor([[[[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]]]], undefined, 'float64');
    // f = Σ maxPool(x)²: ∇f = 2·max at each argmax; h = Σ ∇f·w: ∇h = 2·w at the argmax positions
    const h = (v: Tensor) => sum(mul(grad((u) => sum(mul(maxPool2d(u, { kernelSize: 2 }), maxPool2d(u, { kernelSize: 2 }))))(v), w));
    expect(vals(grad(h)(x))).toEqual([0, 4, 0, 0, 0, 0, 14, 0, 0, 0, 0, 24, 26, 0, 0, 0]);
  });

  it('leaves one tensor behind', () => {
    const x = randn([1, 2, 6, 6]);
    const before = memory().numTensors;
    const y = maxPool2d(x, { kernelSize: 3, stride: 2, padding: 1 });
    const z = avgPool2d(x, { kernelSize: 3, stride: 2, padding: 1, ceilMode: true });
    expect(memory().numTensors).toBe(before + 2);
    y.dispose();
    z.dispose();
  });
});

describe('maxPool2d of int8 / uint8 levels', () => {
  it('keeps the dtype and pools the integers; padding never wins over −128', () => {
    const x = tensor([-128, -128, -5, 127, -128, -128, 0, 3, -1], [1, 1, 3, 3], 'int8');
    const y = maxPool2d(x, { kernelSize: 2, stride: 1, padding: 1 });
    expect([y.dtype, y.shape]).toEqual(['int8', [1, 1, 4, 4]]);
    expect(vals(y)).toEqual([-128, -128, -5, -5, 127, 127, -5, -5, 127, 127, 3, -1, 0, 3, 3, -1]);
  });

  it('uint8, unbatched, dilation and ceil mode: the float pooling of the same values', () => {
    const data = Array.from(rnd([2, 7, 8]), (v) => Math.round((v + 1) * 127.5));
    [data[1], data[3], data[61]] = [255, 0, 255]; // the ends of the range, in sampled (odd) columns
    const opts = { kernelSize: 3, stride: 2, padding: 1, dilation: [1, 2] as [number, number], ceilMode: true };
    const y = maxPool2d(tensor(data, [2, 7, 8], 'uint8'), opts);
    const want = maxPool2d(tensor(data, [2, 7, 8], 'float32'), opts);
    expect([y.dtype, y.shape]).toEqual(['uint8', want.shape]);
    expect(vals(y)).toEqual(vals(want));
    expect(vals(y)).toContain(255);
  });
});

describe('global and adaptive pooling', () => {
  it('global pools keep [N, C, 1, 1]', () => {
    const x = tensor([[[[1, 2], [3, 6]], [[-1, -2], [-3, -4]]]]);
    const a = globalAvgPool2d(x);
    expect(a.shape).toEqual([1, 2, 1, 1]);
    expect(vals(a)).toEqual([3, -2.5]);
    const m = globalMaxPool2d(x);
    expect(m.shape).toEqual([1, 2, 1, 1]);
    expect(vals(m)).toEqual([6, -1]);
    const g = grad((v) => sum(globalMaxPool2d(v)))(x);
    expect(vals(g)).toEqual([0, 0, 0, 1, 1, 0, 0, 0]);
  });

  it("adaptiveAvgPool2d uses PyTorch's start/end formula", () => {
    const xs = [2, 3, 5, 7];
    const x = rnd(xs);
    for (const [oh, ow] of [[3, 2], [1, 1], [5, 7], [2, 7], [4, 3], [7, 9]] as const) {
      const y = adaptiveAvgPool2d(t64(x, xs), [oh, ow]);
      expect(y.shape).toEqual([2, 3, oh, ow]);
      const ref: number[] = [];
      for (let nc = 0; nc < 6; nc++)
        for (let i = 0; i < oh; i++)
          for (let j = 0; j < ow; j++) {
            const h0 = Math.floor((i * 5) / oh);
            const h1 = Math.ceil(((i + 1) * 5) / oh);
            const w0 = Math.floor((j * 7) / ow);
            const w1 = Math.ceil(((j + 1) * 7) / ow);
            let s = 0;
            for (let a = h0; a < h1; a++) for (let b = w0; b < w1; b++) s += x[(nc * 5 + a) * 7 + b]!;
            ref.push(s / ((h1 - h0) * (w1 - w0)));
          }
      expectClose(y.dataSync(), ref);
    }
    expect(adaptiveAvgPool2d(randn([3, 5, 7]), 2).shape).toEqual([3, 2, 2]);
    expect(adaptiveAvgPool2d(randn([1, 3, 5, 7]), [null, 2]).shape).toEqual([1, 3, 5, 2]);
    const R = t64(rnd([2, 3, 3, 2]), [2, 3, 3, 2]);
    const f = (v: Tensor) => sum(mul(adaptiveAvgPool2d(v, [3, 2]), R));
    const [g] = grads(f)(t64(x, xs));
    expectClose(g!.dataSync(), numGrad((v) => f(t64(v, xs)).item(), x), 1e-6);
  });
});

describe('dropout', () => {
  it('zeroes about p of the elements, scales the rest by 1/(1-p), keeps the mean', () => {
    const x = ones([200, 200]);
    const y = vals(dropout(x, 0.3, true, { generator: new Generator(0) }));
    const zeros = y.filter((v) => v === 0).length / y.length;
    expect(Math.abs(zeros - 0.3)).toBeLessThan(0.01);
    const scale = Math.fround(1 / 0.7);
    expect(y.every((v) => v === 0 || v === scale)).toBe(true);
    expect(Math.abs(y.reduce((a, b) => a + b, 0) / y.length - 1)).toBeLessThan(0.02);
  });

  it('is deterministic with a seeded generator; identity in eval mode or p = 0; p = 1 gives zeros', () => {
    const x = randn([50]);
    const a = vals(dropout(x, 0.5, true, { generator: new Generator(9) }));
    const b = vals(dropout(x, 0.5, true, { generator: new Generator(9) }));
    const c = vals(dropout(x, 0.5, true, { generator: new Generator(10) }));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(vals(dropout(x, 0.5, false))).toEqual(vals(x));
    expect(vals(dropout(x, 0))).toEqual(vals(x));
    expect(vals(dropout(x, 1)).every((v) => v === 0)).toBe(true);
    expect(() => dropout(x, 1.5)).toThrow();
  });

  it('gradient is the same mask', () => {
    const x = randn([100], { dtype: 'float64' });
    const gen = new Generator(3);
    const y = vals(dropout(x, 0.4, true, { generator: gen.clone() }));
    const g = vals(grad((v) => sum(dropout(v, 0.4, true, { generator: gen.clone() })))(x));
    const xs = vals(x);
    g.forEach((gi, i) => expect(gi).toBeCloseTo(y[i]! === 0 ? 0 : 1 / 0.6, 12));
    y.forEach((yi, i) => expect(yi === 0 || Math.abs(yi - xs[i]! / 0.6) < 1e-12).toBe(true));
  });
});
