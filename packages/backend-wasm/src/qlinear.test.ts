/**
 * The int8 kernels (qlinearMatmul, qlinearConv2d, quantizeLinear, dequantizeLinear) bit for bit
 * against a plain-loop reference of core's int8 contract (test/qlinear-reference.ts): random
 * shapes around the micro-tile (4×8), the k pairs and the packing blocks (KC 512, MC 128,
 * NC 256), M, N = 1, K = 0, empty outputs, per-tensor and per-channel weights, int8 / uint8
 * inputs and outputs, bias, relu, ties of the rounding — on one thread and split over three;
 * and against the cpu backend's int8 kernels on the same inputs (its sources are loaded from the
 * workspace at run time, as in vs-cpu.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getBackend, hasKernel, runKernel, setBackend, setBackendAsync, tensor, type KernelAttrs, type Tensor } from '@mapnn/core';
import { seededData } from '@mapnn/backend-tests';
import { setWasmParallelThreshold, setWasmThreads } from './index.js';
import {
  QRANGE, convOutSize, dequantizeRef, qlinearConv2dRef, qlinearMatmulRef, quantizeRef,
  type ConvGeo, type QDType, type QParams,
} from '../test/qlinear-reference.js';

/** Seeded integers spread over the whole range of `dtype`. */
function ints(n: number, dtype: QDType, seed: number): number[] {
  const [lo, hi] = QRANGE[dtype];
  return Array.from(seededData(n, seed), (v) => Math.min(hi, lo + Math.floor(((v + 1) / 2) * (hi - lo + 1))));
}

interface Variant {
  x: QDType;
  y: QDType;
  perChannel: boolean;
  bias: boolean;
  relu: boolean;
}
const VARIANTS: Variant[] = [
  { x: 'uint8', y: 'uint8', perChannel: false, bias: false, relu: false },
  { x: 'int8', y: 'int8', perChannel: true, bias: true, relu: false },
  { x: 'uint8', y: 'int8', perChannel: true, bias: true, relu: true },
  { x: 'int8', y: 'uint8', perChannel: false, bias: true, relu: true },
];

/** Parameters whose outputs spread over (and partly saturate) the output range. */
function params(v: Variant, channels: number, k: number, seed: number): QParams {
  const r = seededData(2 * channels + 2, seed);
  const c = v.perChannel ? channels : 1;
  return {
    xScale: 0.02,
    xZp: v.x === 'uint8' ? 131 : -3,
    wScale: Array.from({ length: c }, (_, i) => 0.01 * (1.5 + r[i]!)),
    wZp: Array.from({ length: c }, (_, i) => Math.round(r[channels + i]! * 6)),
    yScale: Math.fround(0.0002 * 75 * 75 * Math.sqrt(Math.max(k, 1)) / 40),
    yZp: v.y === 'uint8' ? 120 : 5,
    yDtype: v.y,
    bias: v.bias ? Array.from({ length: channels }, (_, i) => Math.round(r[(i * 7) % r.length]! * 20000)) : undefined,
    relu: v.relu,
  };
}

/** The kernel's 8 or 9 inputs for `p` around x and w (tensors on the current backend). */
function qInputs(x: Tensor, w: Tensor, p: QParams, perChannel: boolean): Tensor[] {
  const shape = perChannel ? [p.wScale.length] : [];
  const ts = [
    x,
    tensor(p.xScale, [], 'float32'),
    tensor(p.xZp, [], x.dtype),
    w,
    tensor(p.wScale, shape, 'float32'),
    tensor(p.wZp, shape, 'int8'),
    tensor(p.yScale, [], 'float32'),
    tensor(p.yZp, [], p.yDtype),
  ];
  if (p.bias) ts.push(tensor(p.bias, [p.bias.length], 'int32'));
  return ts;
}

function expectSame(got: ArrayLike<number>, want: readonly number[], what: string): void {
  expect(got.length, what).toBe(want.length);
  const bad = want.findIndex((v, i) => got[i] !== v);
  if (bad >= 0) expect(`${what}: [${bad}] = ${got[bad]}`).toBe(`${what}: [${bad}] = ${want[bad]}`);
}

const MATMUL_SHAPES: [number, number, number][] = [
  [1, 1, 1], [1, 7, 1], [3, 5, 9], [4, 16, 8], [5, 17, 13], [1, 1600, 128], [64, 1600, 128],
  [130, 33, 260], [7, 1025, 9], [2, 33, 20], [1, 9, 24], [2, 7, 27], [2, 4, 40], [3, 1025, 17], [2, 0, 9], [9, 0, 10], [0, 5, 3], [3, 5, 0], [33, 511, 17], [12, 513, 40],
];

const CONV_GEOS: ConvGeo[] = [
  { N: 2, C: 1, H: 28, W: 28, F: 32, kh: 3, kw: 3, stride: [1, 1], pads: [0, 0, 0, 0], dilation: [1, 1], groups: 1 },
  { N: 1, C: 32, H: 13, W: 13, F: 64, kh: 3, kw: 3, stride: [1, 1], pads: [0, 0, 0, 0], dilation: [1, 1], groups: 1 },
  { N: 2, C: 3, H: 9, W: 11, F: 5, kh: 3, kw: 3, stride: [1, 1], pads: [1, 1, 1, 1], dilation: [1, 1], groups: 1 },
  { N: 1, C: 4, H: 10, W: 9, F: 6, kh: 3, kw: 2, stride: [2, 3], pads: [2, 0, 1, 3], dilation: [1, 1], groups: 2 },
  { N: 3, C: 6, H: 8, W: 8, F: 6, kh: 3, kw: 3, stride: [1, 1], pads: [2, 2, 2, 2], dilation: [2, 2], groups: 6 },
  { N: 2, C: 5, H: 6, W: 7, F: 9, kh: 1, kw: 1, stride: [1, 1], pads: [0, 0, 0, 0], dilation: [1, 1], groups: 1 },
  { N: 1, C: 8, H: 7, W: 5, F: 4, kh: 1, kw: 1, stride: [2, 2], pads: [1, 0, 0, 1], dilation: [1, 1], groups: 1 },
  { N: 0, C: 2, H: 5, W: 5, F: 3, kh: 3, kw: 3, stride: [1, 1], pads: [0, 0, 0, 0], dilation: [1, 1], groups: 1 },
  { N: 1, C: 70, H: 5, W: 6, F: 20, kh: 3, kw: 3, stride: [1, 1], pads: [1, 1, 1, 1], dilation: [1, 1], groups: 1 },
  // rows padded, columns not: im2col's one-move-per-row path, above / below the input and at its end
  { N: 2, C: 3, H: 9, W: 12, F: 5, kh: 3, kw: 3, stride: [2, 1], pads: [2, 0, 1, 0], dilation: [2, 1], groups: 1 },
  { N: 2, C: 2, H: 6, W: 20, F: 6, kh: 3, kw: 3, stride: [1, 1], pads: [1, 0, 1, 0], dilation: [1, 1], groups: 1 },
];

for (const threads of [1, 3]) {
  describe(`wasm int8 kernels vs the contract's reference (${threads} thread${threads > 1 ? 's' : ''})`, () => {
    beforeAll(async () => {
      await setBackendAsync('wasm');
      await setWasmThreads(threads);
      setWasmParallelThreshold(0);
    });
    afterAll(() => setWasmParallelThreshold(131072));

    it('registers the four kernels', () => {
      expect(getBackend().name).toBe('wasm');
      const dtypes = { qlinearMatmul: ['int8', 'uint8'], qlinearConv2d: ['int8', 'uint8'], quantizeLinear: ['float32'], dequantizeLinear: ['int8', 'uint8', 'int32'] } as const;
      for (const [op, ds] of Object.entries(dtypes)) for (const d of ds) expect(hasKernel(op, d), `${op} ${d}`).toBe(true);
    });

    it('qlinearMatmul is bit-exact on every shape and variant', () => {
      MATMUL_SHAPES.forEach(([m, k, n], si) => {
        VARIANTS.forEach((v, vi) => {
          const seed = 100 * si + vi + 1;
          const a = ints(m * k, v.x, seed);
          const b = ints(k * n, 'int8', seed + 7);
          const p = params(v, n, k, seed + 13);
          const ts = qInputs(tensor(a, [m, k], v.x), tensor(b, [k, n], 'int8'), p, v.perChannel);
          const y = runKernel('qlinearMatmul', ts, { activation: p.relu ? 'relu' : 'none' });
          expect(y.shape).toEqual([m, n]);
          expect(y.dtype).toBe(v.y);
          expectSame(y.dataSync() as ArrayLike<number>, qlinearMatmulRef(a, b, m, k, n, p), `[${m},${k}]×[${k},${n}] ${JSON.stringify(v)}`);
          [...ts, y].forEach((t) => t.dispose());
        });
      });
    });

    it('rounds ties half to even and saturates', () => {
      // multiplier 0.5 and odd accumulators: every result is a tie
      const m = 5, k = 3, n = 11;
      const a = Array.from({ length: m * k }, (_, i) => (i % 5) - 2);
      const b = Array.from({ length: k * n }, (_, i) => ((i * 3) % 7) - 3);
      const p: QParams = { xScale: 1, xZp: 0, wScale: [0.5], wZp: [0], yScale: 1, yZp: 0, yDtype: 'int8', relu: false };
      const ts = qInputs(tensor(a, [m, k], 'int8'), tensor(b, [k, n], 'int8'), p, false);
      const y = runKernel('qlinearMatmul', ts, {});
      const want = qlinearMatmulRef(a, b, m, k, n, p);
      const acc = qlinearMatmulRef(a, b, m, k, n, { ...p, wScale: [1] }); // the accumulators themselves
      expect(acc.filter((v) => Math.abs(v % 2) === 1).length).toBeGreaterThan(10);
      expectSame(y.dataSync() as ArrayLike<number>, want, 'ties');
      const loud = { ...p, wScale: [1000] };
      const big = runKernel('qlinearMatmul', qInputs(tensor(a, [m, k], 'int8'), tensor(b, [k, n], 'int8'), loud, false), {});
      expectSame(big.dataSync() as ArrayLike<number>, qlinearMatmulRef(a, b, m, k, n, loud), 'saturation');
      expect(new Set(big.dataSync())).toEqual(new Set([-128, 127]));
      // a zero output scale: infinite multipliers, NaN (→ 0) where the accumulator is 0
      const inf = { ...p, yScale: 0, yDtype: 'uint8' as const, yZp: 7 };
      const y0 = runKernel('qlinearMatmul', qInputs(tensor(a, [m, k], 'int8'), tensor(b, [k, n], 'int8'), inf, false), {});
      const want0 = qlinearMatmulRef(a, b, m, k, n, inf);
      expect(new Set(want0)).toEqual(new Set([0, 255]));
      expectSame(y0.dataSync() as ArrayLike<number>, want0, 'infinite multipliers');
    });

    it('qlinearConv2d is bit-exact on every geometry and variant (padding holds the input zero point)', () => {
      CONV_GEOS.forEach((g, gi) => {
        VARIANTS.forEach((v, vi) => {
          const seed = 1000 + 10 * gi + vi;
          const x = ints(g.N * g.C * g.H * g.W, v.x, seed);
          const w = ints(g.F * (g.C / g.groups) * g.kh * g.kw, 'int8', seed + 3);
          const p = params(v, g.F, (g.C / g.groups) * g.kh * g.kw, seed + 5);
          const ts = qInputs(tensor(x, [g.N, g.C, g.H, g.W], v.x), tensor(w, [g.F, g.C / g.groups, g.kh, g.kw], 'int8'), p, v.perChannel);
          const y = runKernel('qlinearConv2d', ts, { stride: g.stride, pads: g.pads, dilation: g.dilation, groups: g.groups, activation: p.relu ? 'relu' : 'none' });
          expect(y.shape).toEqual([g.N, g.F, ...convOutSize(g)]);
          expectSame(y.dataSync() as ArrayLike<number>, qlinearConv2dRef(x, w, g, p), `${JSON.stringify(g)} ${JSON.stringify(v)}`);
          [...ts, y].forEach((t) => t.dispose());
        });
      });
    });

    it('quantizeLinear and dequantizeLinear per tensor and along an axis', () => {
      const shape = [3, 5, 7];
      const size = 105;
      const xs = Array.from(seededData(size, 9), (v, i) => (i % 13 === 0 ? [NaN, Infinity, -Infinity, 2.5, -0.5][i % 5]! : v * 300));
      for (const dtype of ['int8', 'uint8'] as const) {
        for (const axis of [-1, 0, 1, 2]) {
          const C = axis < 0 ? 1 : shape[axis]!;
          const inner = axis < 0 ? size : shape.slice(axis + 1).reduce((a, b) => a * b, 1);
          const channel = (i: number) => (axis < 0 ? 0 : Math.floor(i / inner) % C);
          const scale = Array.from({ length: C }, (_, c) => 0.5 + c * 0.75);
          const zp = Array.from({ length: C }, (_, c) => (dtype === 'uint8' ? 128 + c : c - 2));
          const pShape = axis < 0 ? [] : [C];
          const s = tensor(scale, pShape, 'float32');
          const z = tensor(zp, pShape, dtype);
          const q = runKernel('quantizeLinear', [tensor(xs, shape, 'float32'), s, z], { axis: Math.max(axis, 0), dtype });
          const qv = Array.from(q.dataSync() as ArrayLike<number>);
          expectSame(qv, quantizeRef(xs, scale, zp, dtype, channel), `quantize ${dtype} axis ${axis}`);
          const d = runKernel('dequantizeLinear', [q, s, z], { axis: Math.max(axis, 0) });
          expectSame(d.dataSync() as ArrayLike<number>, dequantizeRef(qv, scale, zp, channel), `dequantize ${dtype} axis ${axis}`);
        }
      }
      const big = [2147483647, -2147483648, 123456789, -7, 0];
      const s = tensor(0.001, [], 'float32');
      const d = runKernel('dequantizeLinear', [tensor(big, [5], 'int32'), s, tensor(-5, [], 'int32')], { axis: 0 });
      expectSame(d.dataSync() as ArrayLike<number>, big.map((v) => Math.fround(Math.fround(v + 5) * Math.fround(0.001))), 'dequantize int32');
    });

    it('reuses laid-out parameters only while every parameter storage is the same', () => {
      const [m, k, n] = [6, 20, 12];
      const v = VARIANTS[2]!;
      const a = ints(m * k, v.x, 31);
      const b = ints(k * n, 'int8', 32);
      const p = params(v, n, k, 33);
      const ts = qInputs(tensor(a, [m, k], v.x), tensor(b, [k, n], 'int8'), p, true);
      const run = (inputs: Tensor[]) => Array.from(runKernel('qlinearMatmul', inputs, { activation: 'relu' }).dataSync() as ArrayLike<number>);
      const want = qlinearMatmulRef(a, b, m, k, n, p);
      expectSame(run(ts), want, 'first call');
      expectSame(run(ts), want, 'same parameters again');
      // the same weight scale with another output scale, zero point and bias each time
      const p2 = { ...p, yScale: p.yScale * 3, yZp: 1 - p.yZp, bias: p.bias!.map((x) => -x) };
      const t2 = qInputs(ts[0]!, ts[3]!, p2, true);
      const swapped = [...ts.slice(0, 4), ts[4]!, ts[5]!, t2[6]!, t2[7]!, t2[8]!];
      expectSame(run(swapped), qlinearMatmulRef(a, b, m, k, n, p2), 'new output scale, zero point and bias');
      expectSame(run(ts), want, 'the first parameters again');
    });

    it('rejects bad parameters with an error that names the op and the shapes', () => {
      const a = tensor([1, 2, 3, 4, 5, 6], [2, 3], 'uint8');
      const b = tensor(new Array(12).fill(1), [3, 4], 'int8');
      const p: QParams = { xScale: 1, xZp: 0, wScale: [1, 2, 3], wZp: [0, 0, 0], yScale: 1, yZp: 0, yDtype: 'uint8', relu: false };
      expect(() => runKernel('qlinearMatmul', qInputs(a, b, p, true), {})).toThrow(/qlinearMatmul.*weight scale.*\[4\].*\[3\]/);
      expect(() => runKernel('qlinearMatmul', qInputs(a, tensor(new Array(8).fill(1), [2, 4], 'int8'), { ...p, wScale: [1], wZp: [0] }, false), {})).toThrow(/qlinearMatmul.*\[2, 3\].*\[2, 4\]/);
      expect(() => runKernel('qlinearMatmul', qInputs(a, tensor(new Array(12).fill(1), [3, 4], 'uint8'), { ...p, wScale: [1], wZp: [0] }, false), {})).toThrow(/qlinearMatmul.*weight must be int8/);
    });
  });
}

describe('wasm int8 kernels vs the cpu backend', () => {
  beforeAll(async () => {
    const cpuSources = new URL('../../backend-cpu/src/index.ts', import.meta.url).pathname;
    await import(/* @vite-ignore */ cpuSources); // registers 'cpu'
    await setBackendAsync('wasm');
    await setWasmThreads(3);
    setWasmParallelThreshold(0);
  });
  afterAll(() => setWasmParallelThreshold(131072));

  /** The kernel's output values on `backend` for inputs made by `make` there. */
  function on(backend: string, op: string, make: () => Tensor[], attrs: KernelAttrs): number[] {
    setBackend(backend);
    const ts = make();
    const y = runKernel(op, ts, attrs);
    const v = Array.from(y.dataSync() as ArrayLike<number>);
    [...ts, y].forEach((t) => t.dispose());
    return v;
  }

  it('qlinearMatmul and qlinearConv2d agree bit for bit', () => {
    VARIANTS.forEach((v, vi) => {
      const [m, k, n] = [[1, 300, 70], [37, 129, 45], [64, 600, 40], [2, 1, 17]][vi]!;
      const a = ints(m * k, v.x, 500 + vi);
      const b = ints(k * n, 'int8', 600 + vi);
      const p = params(v, n, k, 700 + vi);
      const mm = () => qInputs(tensor(a, [m, k], v.x), tensor(b, [k, n], 'int8'), p, v.perChannel);
      const attrs = { activation: p.relu ? 'relu' : 'none' } as const;
      expectSame(on('wasm', 'qlinearMatmul', mm, attrs), on('cpu', 'qlinearMatmul', mm, attrs), `matmul ${JSON.stringify(v)}`);
      const g = CONV_GEOS[[2, 3, 4, 8][vi]!]!;
      const x = ints(g.N * g.C * g.H * g.W, v.x, 800 + vi);
      const w = ints(g.F * (g.C / g.groups) * g.kh * g.kw, 'int8', 900 + vi);
      const pc = params(v, g.F, (g.C / g.groups) * g.kh * g.kw, 1000 + vi);
      const conv = () => qInputs(tensor(x, [g.N, g.C, g.H, g.W], v.x), tensor(w, [g.F, g.C / g.groups, g.kh, g.kw], 'int8'), pc, v.perChannel);
      const cattrs = { stride: g.stride, pads: g.pads, dilation: g.dilation, groups: g.groups, activation: pc.relu ? 'relu' : 'none' } as const;
      expectSame(on('wasm', 'qlinearConv2d', conv, cattrs), on('cpu', 'qlinearConv2d', conv, cattrs), `conv ${JSON.stringify(g)} ${JSON.stringify(v)}`);
    });
    setBackend('wasm');
  });
});
