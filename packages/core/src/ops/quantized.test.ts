import { describe, expect, it } from 'vitest';
import { dequantizeLinear, hasKernel, qlinearConv2d, qlinearMatmul, quantizeLinear, tensor, withoutFastPaths, type Tensor } from '../index.js';
import { refQLinearMatmul, refQuantize, refRequantize } from '../../test/quant-reference.js';

const vals = (t: Tensor) => Array.from(t.dataSync(), Number);
const u8 = (v: number) => tensor(v, [], 'uint8');
const i8 = (v: number) => tensor(v, [], 'int8');

/** Deterministic integers in [lo, hi]. */
function ints(n: number, lo: number, hi: number, seed: number): number[] {
  let s = seed >>> 0 || 1;
  return Array.from({ length: n }, () => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return lo + (s % (hi - lo + 1));
  });
}

/** Runs `check` once on the backend (its kernel when registered) and once on core's composition. */
function bothPaths(kernel: string, check: () => void): void {
  check();
  withoutFastPaths(check, [kernel]);
}

describe('quantizeLinear', () => {
  it('computes the ONNX example: round half to even, + zero point, saturated at both ends', () => {
    bothPaths('quantizeLinear', () => {
      expect(vals(quantizeLinear(tensor([0, 2, 3, 1000, -254, -1000]), 2, u8(128)))).toEqual([128, 129, 130, 255, 1, 0]);
      // ties: x / scale = k + 0.5 goes to the even neighbour
      const q = quantizeLinear(tensor([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 300, -300]), 1, i8(0));
      expect(q.dtype).toBe('int8');
      expect(vals(q)).toEqual([0, 2, 2, 0, -2, -2, 127, -128]);
      expect(vals(quantizeLinear(tensor([NaN, 1]), 1, i8(5)))).toEqual([5, 6]);
    });
  });

  it('defaults to a uint8 zero point of 0, or to opts.dtype', () => {
    expect(quantizeLinear(tensor([1, -1]), 1).dtype).toBe('uint8');
    expect(vals(quantizeLinear(tensor([1, -1]), 1, null, { dtype: 'int8' }))).toEqual([1, -1]);
  });

  it('divides in float32 (fround(x / scale)) before rounding', () => {
    const xs = ints(200, -30000, 30000, 7).map((v) => Math.fround(v / 997));
    const scale = Math.fround(0.0173);
    bothPaths('quantizeLinear', () => {
      expect(vals(quantizeLinear(tensor(xs), scale, i8(3)))).toEqual(xs.map((x) => refQuantize(x, scale, 3, 'int8')));
    });
  });

  it('quantizes per channel along axis (negative axes count from the end)', () => {
    const x = tensor([-162, 10, -100, 232, -20, -50, -76, 0, 0, 0, 68, -10, 10, 20, -5, 250, 1, 2], [1, 3, 3, 2]);
    const zp = tensor([84, 24, 196], [3], 'uint8');
    const want = [3, 89, 34, 200, 74, 59, 5, 24, 24, 24, 41, 22, 198, 200, 195, 246, 196, 196]; // the ONNX test case
    bothPaths('quantizeLinear', () => {
      expect(vals(quantizeLinear(x, tensor([2, 4, 5]), zp, { axis: 1 }))).toEqual(want);
      expect(vals(quantizeLinear(x, tensor([2, 4, 5]), zp, { axis: -3 }))).toEqual(want);
    });
  });

  it('rejects a float64 input, a scale of the wrong length and a zero point of another dtype', () => {
    expect(() => quantizeLinear(tensor([1], [1], 'float64'), 1)).toThrow('quantizeLinear: x must be float32, got float64 [1]');
    expect(() => quantizeLinear(tensor([1, 2], [1, 2]), tensor([1, 2, 3]), null, { axis: 1 })).toThrow('quantizeLinear: scale must be a scalar or 1-D of length 2');
    expect(() => quantizeLinear(tensor([1]), 1, tensor(0, [], 'int32'))).toThrow('quantizeLinear: the zero point (the output dtype) must be int8 or uint8, got int32');
    expect(() => quantizeLinear(tensor([1]), tensor([1, 2]), tensor([0], [1], 'int8'), { axis: 0 })).toThrow('quantizeLinear: scale must be a scalar or 1-D of length 1');
    expect(() => quantizeLinear(tensor([1, 2]), tensor([1, 2]), tensor([0], [1], 'int8'), { axis: 0 })).toThrow('quantizeLinear: zero point must have the shape of its scale [2], got [1]');
  });

  it('has no gradient: backward through it throws naming the op', () => {
    const s = tensor(0.5).requiresGrad_();
    const y = quantizeLinear(tensor([1, 2]), s, i8(0));
    expect(y.requiresGrad).toBe(true);
    expect(() => y.backward(tensor([1, 1], [2], 'int8'))).toThrow('quantizeLinear has no gradient: quantized inference only; train with fake quantization');
  });
});

describe('dequantizeLinear', () => {
  it('computes (x − zeroPoint) · scale in float32, per tensor and per channel', () => {
    bothPaths('dequantizeLinear', () => {
      expect(vals(dequantizeLinear(tensor([0, 3, 128, 255], [4], 'uint8'), 2, u8(128)))).toEqual([-256, -250, 0, 254]);
      const x = tensor([-128, 127, 0, 5], [2, 2], 'int8');
      expect(vals(dequantizeLinear(x, tensor([0.5, 2]), tensor([1, -1], [2], 'int8'), { axis: 1 }))).toEqual([-64.5, 256, -0.5, 12]);
      expect(vals(dequantizeLinear(x, tensor([0.5, 2]), tensor([1, -1], [2], 'int8'), { axis: 0 }))).toEqual([-64.5, 63, 2, 12]);
    });
  });

  it('rounds an int32 difference to float32 once, then multiplies in float32', () => {
    const xs = [2147483647, -2147483648, 16777217, 123456789];
    const scale = Math.fround(0.1);
    bothPaths('dequantizeLinear', () => {
      const got = vals(dequantizeLinear(tensor(xs, [4], 'int32'), scale, tensor(-3, [], 'int32')));
      expect(got).toEqual(xs.map((x) => Math.fround(Math.fround(x + 3) * scale)));
    });
  });

  it('rejects float input and a zero point of another dtype', () => {
    expect(() => dequantizeLinear(tensor([1]), 1)).toThrow('dequantizeLinear: x must be int8, uint8 or int32, got float32 [1]');
    expect(() => dequantizeLinear(tensor([1], [1], 'int8'), 1, u8(0))).toThrow("dequantizeLinear: the zero point must have x's dtype int8, got uint8 []");
  });
});

type MmCase = { name: string; M: number; K: number; N: number; aType: 'int8' | 'uint8'; yType: 'int8' | 'uint8'; perColumn: boolean; bias: boolean; relu: boolean };
const MM_CASES: MmCase[] = [
  { name: 'uint8 × int8 → uint8, per tensor', M: 5, K: 7, N: 3, aType: 'uint8', yType: 'uint8', perColumn: false, bias: false, relu: false },
  { name: 'int8 × int8 → int8, per column, bias, relu', M: 4, K: 33, N: 6, aType: 'int8', yType: 'int8', perColumn: true, bias: true, relu: true },
  { name: 'uint8 → int8, per column, bias', M: 1, K: 64, N: 9, aType: 'uint8', yType: 'int8', perColumn: true, bias: true, relu: false },
];

describe('qlinearMatmul', () => {
  for (const c of MM_CASES) {
    it(`follows the contract's integer accumulation and float32 requantization: ${c.name}`, () => {
      const [alo, ahi] = c.aType === 'int8' ? [-128, 127] : [0, 255];
      const a = ints(c.M * c.K, alo, ahi, 1);
      const b = ints(c.K * c.N, -128, 127, 2);
      const bScale = c.perColumn ? ints(c.N, 1, 40, 3).map((v) => Math.fround(v / 3000)) : [Math.fround(0.004)];
      const bZp = c.perColumn ? ints(c.N, -5, 5, 4) : [2];
      const bias = c.bias ? ints(c.N, -20000, 20000, 5) : null;
      const [aScale, aZp, yScale, yZp] = [Math.fround(0.021), c.aType === 'int8' ? -3 : 120, Math.fround(0.37), c.yType === 'int8' ? 4 : 100];
      const want = refQLinearMatmul(a, c.M, c.K, aScale, aZp, b, c.N, bScale, bZp, yScale, yZp, c.yType, bias, c.relu);
      expect(new Set(want).size, 'the case spans many output values').toBeGreaterThan(3);
      bothPaths('qlinearMatmul', () => {
        const y = qlinearMatmul(
          tensor(a, [c.M, c.K], c.aType), aScale, tensor(aZp, [], c.aType),
          tensor(b, [c.K, c.N], 'int8'), tensor(bScale, c.perColumn ? [c.N] : []), tensor(bZp, c.perColumn ? [c.N] : [], 'int8'),
          yScale, tensor(yZp, [], c.yType), bias ? tensor(bias, [c.N], 'int32') : null, { activation: c.relu ? 'relu' : 'none' },
        );
        expect(y.dtype).toBe(c.yType);
        expect(y.shape).toEqual([c.M, c.N]);
        expect(vals(y)).toEqual(want);
      });
    });
  }

  it('folds the leading dims of a into rows, broadcasts batched b, and shifts uint8 weights to int8 exactly', () => {
    const aInts = ints(2 * 3 * 4, 0, 255, 8);
    const a = tensor(aInts, [2, 3, 4], 'uint8');
    const bInts = ints(4 * 5, 0, 255, 9);
    const run = (b: Tensor, bZp: Tensor) => vals(qlinearMatmul(a, 0.01, u8(128), b, 0.02, bZp, 0.05, u8(128)));
    const per2d = [0, 1].map((i) => vals(qlinearMatmul(tensor(aInts.slice(i * 12, i * 12 + 12), [3, 4], 'uint8'), 0.01, u8(128), tensor(bInts, [4, 5], 'uint8'), 0.02, u8(130), 0.05, u8(128))));
    bothPaths('qlinearMatmul', () => {
      expect(run(tensor(bInts, [4, 5], 'uint8'), u8(130))).toEqual(per2d.flat());
      expect(run(tensor(bInts.map((v) => v - 128), [4, 5], 'int8'), i8(2))).toEqual(per2d.flat());
      expect(run(tensor([...bInts, ...bInts], [2, 4, 5], 'uint8'), u8(130))).toEqual(per2d.flat());
    });
  });

  it('gives empty outputs for empty dims, and bias alone when K = 0', () => {
    bothPaths('qlinearMatmul', () => {
      const empty = qlinearMatmul(tensor([], [0, 3], 'uint8'), 0.1, u8(2), tensor([1, 2, 3], [3, 1], 'int8'), 0.1, i8(0), 0.03, i8(10));
      expect(empty.shape).toEqual([0, 1]);
      const y = qlinearMatmul(tensor([], [2, 0], 'uint8'), 0.1, u8(2), tensor([], [0, 2], 'int8'), 0.1, i8(0), 0.03, i8(10), tensor([5, -7], [2], 'int32'));
      expect(vals(y)).toEqual([5, -7, 5, -7].map((b) => refRequantize(b, 0.1, 0.1, 0.03, 10, false, 'int8')));
    });
  });

  it('names the op, the shapes and what was expected in its errors', () => {
    const a = tensor([1, 2, 3, 4, 5, 6], [2, 3], 'uint8');
    const b = tensor([1, 2, 3, 4, 5, 6], [3, 2], 'int8');
    expect(() => qlinearMatmul(a, 1, u8(0), b, tensor([1, 2, 3]), tensor([0, 0, 0], [3], 'int8'), 1, u8(0))).toThrow('qlinearMatmul: bScale must be a scalar or 1-D of length 2 (N, the columns of b [3,2]), got shape [3]');
    expect(() => qlinearMatmul(a, 1, u8(0), tensor([1, 2, 3, 4, 5, 6], [3, 2]), 1, i8(0), 1, u8(0))).toThrow('qlinearMatmul: b must be int8 or uint8, got float32 [3,2]');
    expect(() => qlinearMatmul(a, 1, i8(0), b, 1, i8(0), 1, u8(0))).toThrow('qlinearMatmul: aZeroPoint must be uint8, got int8 []');
    expect(() => qlinearMatmul(a, 1, u8(0), b, 1, i8(0), 1, u8(0), tensor([1, 2], [2], 'int8'))).toThrow('qlinearMatmul: bias must be [2] int32 for b [3,2], got [2] int8');
    expect(() => qlinearMatmul(a, 1, u8(0), tensor([1, 2], [2, 1], 'int8'), 1, i8(0), 1, u8(0))).toThrow('qlinearMatmul: a [2,3] and b [2,1] are not aligned (K 3 vs 2)');
  });

  it('has no gradient', () => {
    const s = tensor(0.1).requiresGrad_();
    const y = qlinearMatmul(tensor([1, 2], [1, 2], 'uint8'), s, u8(0), tensor([1, 2], [2, 1], 'int8'), 0.1, i8(0), 0.1, u8(0));
    expect(() => y.backward(tensor([1], [1, 1], 'uint8'))).toThrow('qlinearMatmul has no gradient: quantized inference only; train with fake quantization');
  });
});

/** Direct-loop reference of qlinearConv2d (padding is the input zero point: a zero centered value). */
function refConv(
  x: number[], [N, C, H, W]: number[], xZp: number, w: number[], [O, Cg, kh, kw]: number[], wZp: number[],
  g: { stride: [number, number]; pads: [number, number, number, number]; dilation: [number, number]; groups: number },
  requant: (acc: number, o: number) => number, bias: number[] | null,
): { shape: number[]; data: number[] } {
  const oh = Math.floor((H + g.pads[0] + g.pads[1] - g.dilation[0] * (kh - 1) - 1) / g.stride[0]) + 1;
  const ow = Math.floor((W + g.pads[2] + g.pads[3] - g.dilation[1] * (kw - 1) - 1) / g.stride[1]) + 1;
  const perGroup = O / g.groups;
  const data: number[] = [];
  for (let n = 0; n < N; n++) for (let o = 0; o < O; o++) for (let i = 0; i < oh; i++) for (let j = 0; j < ow; j++) {
    let acc = bias ? bias[o]! : 0;
    const grp = Math.floor(o / perGroup);
    for (let c = 0; c < Cg; c++) for (let r = 0; r < kh; r++) for (let s = 0; s < kw; s++) {
      const y = i * g.stride[0] - g.pads[0] + r * g.dilation[0];
      const xx = j * g.stride[1] - g.pads[2] + s * g.dilation[1];
      if (y < 0 || y >= H || xx < 0 || xx >= W) continue;
      const xv = x[((n * C + grp * Cg + c) * H + y) * W + xx]! - xZp;
      acc += xv * (w[((o * Cg + c) * kh + r) * kw + s]! - wZp[wZp.length === 1 ? 0 : o]!);
    }
    data.push(requant(acc, o));
  }
  return { shape: [N, O, oh, ow], data };
}

describe('qlinearConv2d', () => {
  const geoms = [
    { name: 'groups 2, stride 2, pads 1, relu, per channel, bias', x: [2, 4, 6, 5], w: [6, 2, 3, 3], stride: [2, 2] as [number, number], pads: [1, 1, 1, 1] as [number, number, number, number], dilation: [1, 1] as [number, number], groups: 2, perChannel: true, bias: true, relu: true, xType: 'uint8' as const, yType: 'uint8' as const },
    { name: 'dilation 2, asymmetric pads, int8 activations, per tensor', x: [1, 3, 7, 8], w: [4, 3, 2, 3], stride: [1, 1] as [number, number], pads: [2, 0, 1, 3] as [number, number, number, number], dilation: [2, 2] as [number, number], groups: 1, perChannel: false, bias: false, relu: false, xType: 'int8' as const, yType: 'int8' as const },
  ];
  for (const c of geoms) {
    it(`matches a direct-loop reference: ${c.name}`, () => {
      const [N, C, H, W] = c.x as [number, number, number, number];
      const [O] = c.w as [number];
      const [xlo, xhi] = c.xType === 'int8' ? [-128, 127] : [0, 255];
      const x = ints(N * C * H * W, xlo, xhi, 11);
      const w = ints(c.w.reduce((p, q) => p * q, 1), -128, 127, 12);
      const wScale = c.perChannel ? ints(O, 1, 30, 13).map((v) => Math.fround(v / 2000)) : [Math.fround(0.006)];
      const wZp = c.perChannel ? ints(O, -3, 3, 14) : [1];
      const bias = c.bias ? ints(O, -5000, 5000, 15) : null;
      const [xScale, xZp, yScale, yZp] = [Math.fround(0.03), c.xType === 'int8' ? 2 : 128, Math.fround(0.9), c.yType === 'int8' ? -5 : 90];
      const geom = { stride: c.stride, pads: c.pads, dilation: c.dilation, groups: c.groups };
      const want = refConv(x, c.x, xZp, w, c.w, wZp, geom, (acc, o) => refRequantize(acc, xScale, wScale[c.perChannel ? o : 0]!, yScale, yZp, c.relu, c.yType), bias);
      expect(new Set(want.data).size, 'the case spans many output values').toBeGreaterThan(3);
      bothPaths('qlinearConv2d', () => {
        const y = qlinearConv2d(
          tensor(x, c.x, c.xType), xScale, tensor(xZp, [], c.xType),
          tensor(w, c.w, 'int8'), tensor(wScale, c.perChannel ? [O] : []), tensor(wZp, c.perChannel ? [O] : [], 'int8'),
          yScale, tensor(yZp, [], c.yType), bias ? tensor(bias, [O], 'int32') : null,
          { stride: c.stride, padding: c.pads, dilation: c.dilation, groups: c.groups, activation: c.relu ? 'relu' : 'none' },
        );
        expect(y.shape).toEqual(want.shape);
        expect(y.dtype).toBe(c.yType);
        expect(vals(y)).toEqual(want.data);
      });
    });
  }

  it('gives empty outputs for empty dims, and bias alone without input channels', () => {
    bothPaths('qlinearConv2d', () => {
      const y = qlinearConv2d(tensor([], [0, 2, 3, 3], 'uint8'), 0.1, u8(0), tensor(ints(8, -9, 9, 1), [4, 2, 1, 1], 'int8'), 0.1, i8(0), 0.1, u8(0));
      expect(y.shape).toEqual([0, 4, 3, 3]);
      expect(qlinearConv2d(tensor(ints(18, 0, 255, 3), [1, 2, 3, 3], 'uint8'), 0.1, u8(0), tensor([], [0, 2, 1, 1], 'int8'), 0.1, i8(0), 0.1, u8(0)).shape).toEqual([1, 0, 3, 3]);
      const noChannels = qlinearConv2d(tensor([], [1, 0, 2, 2], 'uint8'), 0.1, u8(0), tensor([], [2, 0, 1, 1], 'int8'), 0.1, i8(0), 0.1, u8(7), tensor([30, -30], [2], 'int32'));
      expect(vals(noChannels)).toEqual([10, 10, 10, 10, 4, 4, 4, 4]);
    });
  });

  it('names the op, the shapes and what was expected in its errors', () => {
    const x = tensor(ints(18, 0, 255, 1), [1, 2, 3, 3], 'uint8');
    const w = tensor(ints(8, -9, 9, 2), [4, 2, 1, 1], 'int8');
    expect(() => qlinearConv2d(x, 1, u8(0), w, tensor([1, 2]), tensor([0, 0], [2], 'int8'), 1, u8(0))).toThrow('qlinearConv2d: wScale must be a scalar or 1-D of length 4 (O, the output channels of w [4,2,1,1]), got shape [2]');
    expect(() => qlinearConv2d(x, 1, u8(0), tensor(ints(8, -9, 9, 2), [4, 2, 1, 1], 'int32'), 1, i8(0), 1, u8(0))).toThrow('qlinearConv2d: w must be int8 or uint8, got int32 [4,2,1,1]');
    expect(() => qlinearConv2d(x, 1, u8(0), w, 1, u8(0), 1, u8(0))).toThrow('qlinearConv2d: wZeroPoint must be int8, got uint8 []');
    expect(() => qlinearConv2d(x, 1, u8(0), w, 1, i8(0), 1, tensor(0, [], 'int32'))).toThrow('qlinearConv2d: yZeroPoint (the output dtype) must be int8 or uint8, got int32 []');
    expect(() => qlinearConv2d(x, 1, u8(0), tensor(ints(12, -9, 9, 2), [4, 3, 1, 1], 'int8'), 1, i8(0), 1, u8(0))).toThrow('qlinearConv2d: input [1,2,3,3] and weight [4,3,1,1] do not match with groups=1');
  });

  it('reports whether the backend has the kernel (the fast path) or composes it', () => {
    expect(typeof hasKernel('qlinearConv2d', 'uint8')).toBe('boolean');
  });
});
