import { describe, expect, it } from 'vitest';
import {
  cast,
  conv1d,
  conv2d,
  conv2dBackpropFilter,
  conv2dBackpropInput,
  convTranspose2d,
  fold2d,
  Generator,
  grad,
  grads,
  memory,
  mul,
  randn,
  sum,
  tensor,
  unfold2d,
  type Tensor,
} from '../index.js';
import { unfold2dComposed, unfoldAttrs } from './unfold2d.js';
import { fold2dComposed } from './fold2d.js';

// ---------------------------------------------------------------- references by direct loops
interface Geo {
  stride?: [number, number];
  pads?: [number, number, number, number];
  dil?: [number, number];
  groups?: number;
}

/** Direct cross-correlation: y[n,o,i,j] = b[o] + Σ x[n, g·Cg + c, i·sh − pt + ki·dh, j·sw − pl + kj·dw]·w[o,c,ki,kj]. */
function refConv(x: Float64Array, xs: number[], w: Float64Array, ws: number[], b: Float64Array | null, geo: Geo) {
  const [N, Cin, H, W] = xs as [number, number, number, number];
  const [Cout, Cg, kh, kw] = ws as [number, number, number, number];
  const [sh, sw] = geo.stride ?? [1, 1];
  const [pt, pb, pl, pr] = geo.pads ?? [0, 0, 0, 0];
  const [dh, dw] = geo.dil ?? [1, 1];
  const G = geo.groups ?? 1;
  const oh = Math.floor((H + pt + pb - dh * (kh - 1) - 1) / sh) + 1;
  const ow = Math.floor((W + pl + pr - dw * (kw - 1) - 1) / sw) + 1;
  const y = new Float64Array(N * Cout * oh * ow);
  const cog = Cout / G;
  for (let n = 0; n < N; n++)
    for (let o = 0; o < Cout; o++) {
      const g = Math.floor(o / cog);
      for (let i = 0; i < oh; i++)
        for (let j = 0; j < ow; j++) {
          let s = b ? b[o]! : 0;
          for (let c = 0; c < Cg; c++)
            for (let ki = 0; ki < kh; ki++)
              for (let kj = 0; kj < kw; kj++) {
                const iy = i * sh - pt + ki * dh;
                const ix = j * sw - pl + kj * dw;
                if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
                s += x[((n * Cin + g * Cg + c) * H + iy) * W + ix]! * w[((o * Cg + c) * kh + ki) * kw + kj]!;
              }
          y[((n * Cout + o) * oh + i) * ow + j] = s;
        }
    }
  return { data: y, shape: [N, Cout, oh, ow] };
}

/** Direct transposed convolution (scatter form), weight [Cin, Cout/G, kh, kw]. */
function refConvT(x: Float64Array, xs: number[], w: Float64Array, ws: number[], stride: [number, number], pad: [number, number], outPad: [number, number], dil: [number, number], G: number) {
  const [N, Cin, H, W] = xs as [number, number, number, number];
  const [, Cog, kh, kw] = ws as [number, number, number, number];
  const Cout = Cog * G;
  const Ho = (H - 1) * stride[0] - 2 * pad[0] + dil[0] * (kh - 1) + outPad[0] + 1;
  const Wo = (W - 1) * stride[1] - 2 * pad[1] + dil[1] * (kw - 1) + outPad[1] + 1;
  const y = new Float64Array(N * Cout * Ho * Wo);
  const cig = Cin / G;
  for (let n = 0; n < N; n++)
    for (let ci = 0; ci < Cin; ci++) {
      const g = Math.floor(ci / cig);
      for (let i = 0; i < H; i++)
        for (let j = 0; j < W; j++)
          for (let co = 0; co < Cog; co++)
            for (let ki = 0; ki < kh; ki++)
              for (let kj = 0; kj < kw; kj++) {
                const oy = i * stride[0] - pad[0] + ki * dil[0];
                const ox = j * stride[1] - pad[1] + kj * dil[1];
                if (oy < 0 || oy >= Ho || ox < 0 || ox >= Wo) continue;
                y[((n * Cout + g * Cog + co) * Ho + oy) * Wo + ox] +=
                  x[((n * Cin + ci) * H + i) * W + j]! * w[((ci * Cog + co) * kh + ki) * kw + kj]!;
              }
    }
  return { data: y, shape: [N, Cout, Ho, Wo] };
}

// ---------------------------------------------------------------- helpers
let seed = 1;
function rnd(shape: number[]): Float64Array {
  const g = new Generator(seed++);
  return Float64Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => g.nextFloat() * 2 - 1);
}
const t64 = (d: Float64Array, shape: number[]) => tensor(d, shape, 'float64');
const vals = (t: Tensor) => Array.from(t.dataSync());

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-9) {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!) / (1 + Math.abs(expected[i]!)));
  expect(worst).toBeLessThan(tol);
}

/** Central finite differences of scalar f at x (float64). */
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

// ---------------------------------------------------------------- tests
describe('conv2d values', () => {
  const cases: { name: string; xs: number[]; ws: number[]; geo: Geo; bias?: boolean }[] = [
    { name: 'plain 3×3', xs: [2, 3, 6, 5], ws: [4, 3, 3, 3], geo: {}, bias: true },
    { name: 'padding 1', xs: [1, 2, 5, 5], ws: [3, 2, 3, 3], geo: { pads: [1, 1, 1, 1] } },
    { name: 'stride 2, asym pads', xs: [2, 2, 7, 6], ws: [2, 2, 3, 2], geo: { stride: [2, 2], pads: [1, 0, 0, 1] }, bias: true },
    { name: 'stride+dilation', xs: [1, 3, 9, 8], ws: [2, 3, 3, 2], geo: { stride: [2, 3], dil: [2, 3], pads: [2, 2, 1, 1] } },
    { name: 'groups 2', xs: [2, 4, 5, 5], ws: [6, 2, 3, 3], geo: { groups: 2, pads: [1, 1, 1, 1] }, bias: true },
    { name: 'depthwise', xs: [2, 3, 6, 6], ws: [3, 1, 3, 3], geo: { groups: 3, stride: [2, 2], pads: [1, 1, 1, 1] } },
    { name: 'depthwise ×2 multiplier', xs: [1, 2, 5, 4], ws: [4, 1, 2, 2], geo: { groups: 2 } },
    { name: '1×1', xs: [3, 4, 3, 3], ws: [5, 4, 1, 1], geo: {} },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const x = rnd(c.xs);
      const w = rnd(c.ws);
      const b = c.bias ? rnd([c.ws[0]!]) : null;
      const ref = refConv(x, c.xs, w, c.ws, b, c.geo);
      const y = conv2d(t64(x, c.xs), t64(w, c.ws), b ? t64(b, [c.ws[0]!]) : null, {
        stride: c.geo.stride,
        padding: c.geo.pads,
        dilation: c.geo.dil,
        groups: c.geo.groups,
      });
      expect(y.shape).toEqual(ref.shape);
      expect(y.dtype).toBe('float64');
      expectClose(y.dataSync(), ref.data);
      // float32 computes the same up to rounding
      const y32 = conv2d(tensor(x, c.xs, 'float32'), tensor(w, c.ws, 'float32'), b ? tensor(b, [c.ws[0]!], 'float32') : null, {
        stride: c.geo.stride,
        padding: c.geo.pads,
        dilation: c.geo.dil,
        groups: c.geo.groups,
      });
      expect(y32.dtype).toBe('float32');
      expectClose(y32.dataSync(), ref.data, 1e-5);
    });
  }

  it('a hand-computed 1-channel example', () => {
    const x = tensor([[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]]);
    const w = tensor([[[[1, 0], [0, -1]]]]);
    expect(vals(conv2d(x, w))).toEqual([1 - 5, 2 - 6, 4 - 8, 5 - 9]);
    expect(vals(conv2d(x, w, [10]))).toEqual([6, 6, 6, 6]);
  });

  it("'same' padding keeps the size, also for even kernels (extra at bottom/right, as PyTorch)", () => {
    for (const [k, d] of [[3, 1], [2, 1], [4, 1], [2, 3], [5, 2]] as const) {
      const xs = [1, 2, 6, 7];
      const ws = [3, 2, k, k];
      const x = rnd(xs);
      const w = rnd(ws);
      const y = conv2d(t64(x, xs), t64(w, ws), null, { padding: 'same', dilation: d });
      expect(y.shape).toEqual([1, 3, 6, 7]);
      const total = d * (k - 1);
      const lo = Math.floor(total / 2);
      const ref = refConv(x, xs, w, ws, null, { pads: [lo, total - lo, lo, total - lo], dil: [d, d] });
      expectClose(y.dataSync(), ref.data);
    }
    // rectangular kernel
    expect(conv2d(randn([1, 1, 5, 6]), randn([1, 1, 2, 3]), null, { padding: 'same' }).shape).toEqual([1, 1, 5, 6]);
    expect(() => conv2d(randn([1, 1, 5, 5]), randn([1, 1, 3, 3]), null, { padding: 'same', stride: 2 })).toThrow(/same/);
  });

  it("'valid', [ph, pw], stride and dilation give PyTorch's output shapes", () => {
    const x = randn([2, 3, 11, 13]);
    expect(conv2d(x, randn([4, 3, 3, 3]), null, { padding: 'valid' }).shape).toEqual([2, 4, 9, 11]);
    expect(conv2d(x, randn([4, 3, 3, 5]), null, { padding: [1, 2] }).shape).toEqual([2, 4, 11, 13]);
    expect(conv2d(x, randn([4, 3, 3, 3]), null, { stride: 2 }).shape).toEqual([2, 4, 5, 6]);
    expect(conv2d(x, randn([4, 3, 3, 3]), null, { stride: [3, 2], dilation: [2, 3], padding: 1 }).shape).toEqual([2, 4, 3, 5]);
    expect(conv2d(randn([3, 11, 13]), randn([4, 3, 3, 3])).shape).toEqual([4, 9, 11]); // unbatched
  });

  it('rejects mismatched channels, groups and bias', () => {
    expect(() => conv2d(randn([1, 3, 5, 5]), randn([4, 2, 3, 3]))).toThrow(/groups/);
    expect(() => conv2d(randn([1, 4, 5, 5]), randn([3, 2, 3, 3]), null, { groups: 2 })).toThrow(/groups/);
    expect(() => conv2d(randn([1, 3, 5, 5]), randn([4, 3, 3, 3]), randn([3]))).toThrow(/bias/);
    expect(() => conv2d(randn([1, 3, 2, 2]), randn([4, 3, 3, 3]))).toThrow(/larger/);
  });

  it('leaves exactly one new tensor behind', () => {
    const x = randn([1, 2, 6, 6]);
    const w = randn([3, 2, 3, 3]);
    const before = memory().numTensors;
    const y = conv2d(x, w, null, { padding: 1, stride: 2 });
    expect(memory().numTensors).toBe(before + 1);
    y.dispose();
  });
});

describe('padding wider than the output', () => {
  it('a kernel column lying entirely in the left/right padding reads zeros (width-1 input, pads 2, kernel 5)', () => {
    const xs = [2, 3, 4, 1];
    const ws = [2, 3, 3, 5];
    const x = rnd(xs);
    const w = rnd(ws);
    const geo: Geo = { pads: [1, 1, 2, 2] };
    const ref = refConv(x, xs, w, ws, null, geo);
    const y = conv2d(t64(x, xs), t64(w, ws), null, { padding: [1, 1, 2, 2] });
    expect(y.shape).toEqual(ref.shape);
    expectClose(vals(y), ref.data);
  });
});

describe('conv1d and convTranspose2d', () => {
  it('conv1d equals the direct loops (via H = 1)', () => {
    const xs = [2, 3, 12];
    const ws = [4, 3, 3];
    const x = rnd(xs);
    const w = rnd(ws);
    const b = rnd([4]);
    const y = conv1d(t64(x, xs), t64(w, ws), t64(b, [4]), { stride: 2, padding: 2, dilation: 2 });
    const ref = refConv(x, [2, 3, 1, 12], w, [4, 3, 1, 3], b, { stride: [1, 2], pads: [0, 0, 2, 2], dil: [1, 2] });
    expect(y.shape).toEqual([2, 4, ref.shape[3]!]);
    expectClose(y.dataSync(), ref.data);
    expect(conv1d(randn([2, 4, 10]), randn([8, 4, 4]), null, { padding: 'same' }).shape).toEqual([2, 8, 10]);
    expect(conv1d(randn([4, 10]), randn([8, 2, 3]), null, { groups: 2 }).shape).toEqual([8, 8]);
  });

  it('convTranspose2d equals the direct scatter definition', () => {
    const cfgs: [number[], number[], [number, number], [number, number], [number, number], [number, number], number][] = [
      [[2, 3, 4, 5], [3, 2, 3, 3], [1, 1], [0, 0], [0, 0], [1, 1], 1],
      [[1, 2, 3, 4], [2, 3, 3, 3], [2, 2], [1, 1], [1, 1], [1, 1], 1],
      [[2, 4, 3, 3], [4, 1, 3, 2], [2, 3], [1, 0], [1, 2], [2, 1], 2],
    ];
    for (const [xs, ws, s, p, op, d, G] of cfgs) {
      const x = rnd(xs);
      const w = rnd(ws);
      const ref = refConvT(x, xs, w, ws, s, p, op, d, G);
      const b = rnd([ref.shape[1]!]);
      const y = convTranspose2d(t64(x, xs), t64(w, ws), null, { stride: s, padding: p, outputPadding: op, dilation: d, groups: G });
      expect(y.shape).toEqual(ref.shape);
      expectClose(y.dataSync(), ref.data);
      const yb = convTranspose2d(t64(x, xs), t64(w, ws), t64(b, [b.length]), { stride: s, padding: p, outputPadding: op, dilation: d, groups: G });
      const hw = ref.shape[2]! * ref.shape[3]!;
      expectClose(yb.dataSync(), ref.data.map((v, i) => v + b[Math.floor(i / hw) % b.length]!));
    }
    // the classic ×2 upsampling shape
    expect(convTranspose2d(randn([1, 8, 5, 5]), randn([8, 4, 3, 3]), null, { stride: 2, padding: 1, outputPadding: 1 }).shape).toEqual([1, 4, 10, 10]);
    expect(() => convTranspose2d(randn([1, 2, 3, 3]), randn([2, 2, 3, 3]), null, { stride: 2, outputPadding: 2 })).toThrow(/outputPadding/);
  });
});

describe('unfold2d / fold2d', () => {
  const geos: { H: number; W: number; opts: Parameters<typeof unfold2d>[1] }[] = [
    { H: 5, W: 6, opts: { kernel: 3 } },
    { H: 5, W: 6, opts: { kernel: [2, 3], stride: [2, 1], pads: [1, 0, 2, 1] } },
    { H: 7, W: 7, opts: { kernel: 3, stride: 2, dilation: 2, pads: 2 } },
    { H: 4, W: 9, opts: { kernel: [1, 4], stride: [1, 3], pads: [0, 0, 1, 2], padValue: -Infinity } },
    { H: 6, W: 5, opts: { kernel: 2, stride: 3, pads: [1, 1, 0, 0], padValue: 2.5 } },
  ];

  it('unfold2d orders rows (c, ki, kj) and pads with padValue', () => {
    const x = tensor([[[[1, 2], [3, 4]]]]); // [1,1,2,2]
    const u = unfold2d(x, { kernel: 2, pads: [1, 0, 0, 1], padValue: -1 });
    // padded: [[-1,-1,-1],[1,2,-1],[3,4,-1]]; windows at (0,0),(0,1),(1,0),(1,1)
    expect(u.shape).toEqual([1, 4, 4]);
    expect(vals(u)).toEqual([-1, -1, 1, 2, -1, -1, 2, -1, 1, 2, 3, 4, 2, -1, 4, -1]);
  });

  it('the cpu kernels agree with the composed (pad + indexSelect / scatterAdd) paths', () => {
    for (const { H, W, opts } of geos) {
      for (const dtype of ['float32', 'float64'] as const) {
        const x = cast(randn([2, 3, H, W]), dtype);
        const a = unfoldAttrs(opts, 'test');
        const k = unfold2d(x, opts);
        const c = unfold2dComposed(x, a);
        expect(c.shape).toEqual(k.shape);
        expect(vals(c)).toEqual(vals(k));
        const cols = cast(randn([...k.shape]), dtype);
        const fk = fold2d(cols, { ...opts, outputSize: [H, W] });
        const fc = fold2dComposed(cols, a, H, W);
        expect(fc.shape).toEqual([2, 3, H, W]);
        expectClose(fc.dataSync(), fk.dataSync(), 1e-6);
      }
    }
  });

  it('fold2d is the adjoint of unfold2d: <unfold(x), c> = <x, fold(c)>', () => {
    for (const { H, W, opts } of geos) {
      const o = { ...opts, padValue: 0 };
      const x = cast(randn([1, 2, H, W]), 'float64');
      const u = unfold2d(x, o);
      const c = cast(randn([...u.shape]), 'float64');
      const lhs = sum(mul(u, c)).item();
      const rhs = sum(mul(x, fold2d(c, { ...o, outputSize: [H, W] }))).item();
      expect(lhs).toBeCloseTo(rhs, 10);
    }
  });

  it('gradients: unfold2d → fold2d and fold2d → unfold2d', () => {
    const x = cast(randn([1, 2, 5, 5]), 'float64');
    const opts = { kernel: 3, stride: 2, pads: 1 } as const;
    const R = cast(randn([1, 18, 9]), 'float64');
    const gx = grad((v) => sum(mul(unfold2d(v, opts), R)))(x);
    expectClose(gx.dataSync(), fold2d(R, { ...opts, outputSize: [5, 5] }).dataSync());
    const S = cast(randn([1, 2, 5, 5]), 'float64');
    const gc = grad((c) => sum(mul(fold2d(c, { ...opts, outputSize: [5, 5] }), S)))(R);
    expectClose(gc.dataSync(), unfold2d(S, opts).dataSync());
  });
});

describe('conv gradients (float64, vs finite differences)', () => {
  const cfgs: { name: string; xs: number[]; ws: number[]; opts: Parameters<typeof conv2d>[3] }[] = [
    { name: 'padding+stride', xs: [2, 2, 5, 4], ws: [3, 2, 3, 2], opts: { padding: 1, stride: 2 } },
    { name: 'dilation, uncovered rows', xs: [1, 2, 6, 6], ws: [2, 2, 2, 2], opts: { dilation: 2, stride: [3, 2] } },
    { name: 'groups', xs: [1, 4, 4, 4], ws: [2, 2, 3, 3], opts: { groups: 2, padding: 'same' } },
    { name: 'depthwise, even same', xs: [2, 3, 4, 5], ws: [3, 1, 2, 2], opts: { groups: 3, padding: 'same' } },
  ];
  for (const c of cfgs) {
    it(`conv2d dx, dw, db — ${c.name}`, () => {
      const x = rnd(c.xs);
      const w = rnd(c.ws);
      const b = rnd([c.ws[0]!]);
      const y0 = conv2d(t64(x, c.xs), t64(w, c.ws), null, c.opts);
      const R = rnd([...y0.shape]);
      const Rt = t64(R, [...y0.shape]);
      const f = (xv: Tensor, wv: Tensor, bv: Tensor) => sum(mul(mul(conv2d(xv, wv, bv, c.opts), Rt), conv2d(xv, wv, bv, c.opts))); // Σ R·y², nonlinear
      const [gx, gw, gb] = grads(f)(t64(x, c.xs), t64(w, c.ws), t64(b, [b.length]));
      const fx = (v: Float64Array) => f(t64(v, c.xs), t64(w, c.ws), t64(b, [b.length])).item();
      const fw = (v: Float64Array) => f(t64(x, c.xs), t64(v, c.ws), t64(b, [b.length])).item();
      const fb = (v: Float64Array) => f(t64(x, c.xs), t64(w, c.ws), t64(v, [b.length])).item();
      expectClose(gx!.dataSync(), numGrad(fx, x), 1e-6);
      expectClose(gw!.dataSync(), numGrad(fw, w), 1e-6);
      expectClose(gb!.dataSync(), numGrad(fb, b), 1e-6);
    });
  }

  it('conv2dBackpropInput and conv2dBackpropFilter are differentiable in both arguments', () => {
    const xs = [2, 4, 5, 5];
    const ws = [4, 2, 3, 3];
    const opts = { stride: 2, padding: 1, groups: 2 } as const;
    const x = rnd(xs);
    const w = rnd(ws);
    const ys = [2, 4, 3, 3];
    const dy = rnd(ys);
    const Rx = t64(rnd(xs), xs);
    const Rw = t64(rnd(ws), ws);
    // bpInput(dy, w): gradients wrt dy and w
    const fi = (d: Tensor, wv: Tensor) => {
      const v = conv2dBackpropInput(d, wv, xs, opts);
      return sum(mul(mul(v, v), Rx));
    };
    const [gd, gw] = grads(fi)(t64(dy, ys), t64(w, ws));
    expectClose(gd!.dataSync(), numGrad((v) => fi(t64(v, ys), t64(w, ws)).item(), dy), 1e-6);
    expectClose(gw!.dataSync(), numGrad((v) => fi(t64(dy, ys), t64(v, ws)).item(), w), 1e-6);
    // bpFilter(x, dy): gradients wrt x and dy
    const ff = (xv: Tensor, d: Tensor) => {
      const v = conv2dBackpropFilter(xv, d, ws, opts);
      return sum(mul(mul(v, v), Rw));
    };
    const [gx2, gd2] = grads(ff)(t64(x, xs), t64(dy, ys));
    expectClose(gx2!.dataSync(), numGrad((v) => ff(t64(v, xs), t64(dy, ys)).item(), x), 1e-6);
    expectClose(gd2!.dataSync(), numGrad((v) => ff(t64(x, xs), t64(v, ys)).item(), dy), 1e-6);
  });

  it('grad of grad through conv2d: d/dx Σ (∂L/∂w)² matches finite differences', () => {
    const xs = [1, 2, 4, 4];
    const ws = [2, 2, 3, 3];
    const opts = { padding: 1, stride: 2 } as const;
    const x = rnd(xs);
    const w = t64(rnd(ws), ws);
    const R = t64(rnd([1, 2, 2, 2]), [1, 2, 2, 2]);
    // L(x, w) = Σ R·y², so ∂L/∂w is quadratic in x and h(x) = Σ (∂L/∂w)² is quartic.
    const h = (xv: Tensor) => {
      const [, gw] = grads((a, b) => {
        const y = conv2d(a, b, null, opts);
        return sum(mul(mul(y, y), R));
      })(xv, w);
      return sum(mul(gw!, gw!));
    };
    const d2 = grad(h)(t64(x, xs));
    expect(d2.shape).toEqual(xs);
    expectClose(d2.dataSync(), numGrad((v) => h(t64(v, xs)).item(), x, 1e-5), 1e-5);
  });

  it('conv1d and convTranspose2d gradients', () => {
    const xs = [2, 2, 4, 3];
    const ws = [2, 3, 3, 2];
    const opts = { stride: 2, padding: [1, 0] as [number, number], outputPadding: 1 };
    const x = rnd(xs);
    const w = rnd(ws);
    const y0 = convTranspose2d(t64(x, xs), t64(w, ws), null, opts);
    const R = t64(rnd([...y0.shape]), [...y0.shape]);
    const f = (a: Tensor, b: Tensor) => {
      const y = convTranspose2d(a, b, null, opts);
      return sum(mul(mul(y, y), R));
    };
    const [gx, gw] = grads(f)(t64(x, xs), t64(w, ws));
    expectClose(gx!.dataSync(), numGrad((v) => f(t64(v, xs), t64(w, ws)).item(), x), 1e-6);
    expectClose(gw!.dataSync(), numGrad((v) => f(t64(x, xs), t64(v, ws)).item(), w), 1e-6);

    const x1 = rnd([1, 2, 7]);
    const w1 = rnd([3, 2, 3]);
    const R1 = t64(rnd([1, 3, 7]), [1, 3, 7]);
    const f1 = (a: Tensor, b: Tensor) => {
      const y = conv1d(a, b, null, { padding: 'same', dilation: 2 });
      return sum(mul(mul(y, y), R1));
    };
    const [g1x, g1w] = grads(f1)(t64(x1, [1, 2, 7]), t64(w1, [3, 2, 3]));
    expectClose(g1x!.dataSync(), numGrad((v) => f1(t64(v, [1, 2, 7]), t64(w1, [3, 2, 3])).item(), x1), 1e-6);
    expectClose(g1w!.dataSync(), numGrad((v) => f1(t64(x1, [1, 2, 7]), t64(v, [3, 2, 3])).item(), w1), 1e-6);
  });

  it('backward() leaves gradients of the right shapes; no leak after disposal', () => {
    const x = randn([2, 3, 6, 6]).requiresGrad_();
    const w = randn([4, 3, 3, 3]).requiresGrad_();
    const b = randn([4]).requiresGrad_();
    const before = memory().numTensors;
    const y = conv2d(x, w, b, { padding: 1 });
    const loss = sum(y);
    loss.backward();
    expect(x.grad!.shape).toEqual([2, 3, 6, 6]);
    expect(w.grad!.shape).toEqual([4, 3, 3, 3]);
    expect(b.grad!.shape).toEqual([4]);
    // Σ y gradient wrt b is N·H·W per channel
    expect(vals(b.grad!)).toEqual([72, 72, 72, 72]);
    loss.dispose();
    y.dispose();
    for (const t of [x, w, b]) {
      t.grad!.dispose();
      t.grad = null;
    }
    expect(memory().numTensors).toBe(before);
  });
});
