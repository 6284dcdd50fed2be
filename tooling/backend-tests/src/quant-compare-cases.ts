import { dequantizeLinear, qlinearConv2d, qlinearMatmul, quantizeLinear, tensor, type DType, type Tensor } from '@mapnn/core';
import { int8PoolCompareCases } from './int8-pool-compare-cases.js';
import { xorshift32 } from './testing.js';

/**
 * Cases of the int8 kernels (`quantizeLinear`, `dequantizeLinear`, `qlinearMatmul`,
 * `qlinearConv2d`) for the fast-path-vs-composition comparison: integer (and float32) inputs
 * built by each case, no gradients, and the kernel's output must equal the composition bit for
 * bit. They cover per-tensor and per-channel parameters, uint8 and int8 activations, bias and
 * no bias, relu, groups / stride / pads / dilation, empty dims, saturation at both ends and ties
 * (x / scale or acc · multiplier = k + 0.5 exactly).
 */
export interface QuantCompareCase {
  kernel: 'quantizeLinear' | 'dequantizeLinear' | 'qlinearMatmul' | 'qlinearConv2d' | 'maxPool2dInt8';
  name: string;
  /** builds the inputs (seeded) */
  build: () => Tensor[];
  run: (xs: Tensor[]) => Tensor;
}

type Q = 'int8' | 'uint8';
const RANGE: Record<Q, [number, number]> = { int8: [-128, 127], uint8: [0, 255] };
const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/** `n` seeded integers in [lo, hi]. */
function ints(n: number, lo: number, hi: number, seed: number): number[] {
  const next = xorshift32(seed);
  return Array.from({ length: n }, () => lo + (Math.abs(next()) % (hi - lo + 1)));
}

/** Small values (|x − zp| ≤ 8 with `smallZp`) keep `acc · 0.5` in range, so half the outputs are ties. */
const SMALL: Record<Q, [number, number]> = { int8: [-8, 8], uint8: [0, 16] };
const smallZp = (dtype: Q) => (dtype === 'int8' ? 0 : 8);
const qt = (shape: number[], dtype: Q, seed: number, small = false) => tensor(ints(size(shape), ...(small ? SMALL : RANGE)[dtype], seed), shape, dtype);
const scalarOf = (v: number, dtype: DType) => tensor(v, [], dtype);
/** float32 scales in (0, max]: seeded, exactly representable. */
const scales = (n: number, max: number, seed: number) => tensor(ints(n, 1, 64, seed).map((v) => Math.fround((v / 64) * max)), [n], 'float32');

function quantizeCases(): QuantCompareCase[] {
  const floats = (shape: number[], amp: number, seed: number) => tensor(ints(size(shape), -100000, 100000, seed).map((v) => Math.fround((v / 100000) * amp)), shape, 'float32');
  // ties: (k + 0.5) · 0.25 is exact, and so is its quotient by 0.25
  const ties = () => tensor([...Array.from({ length: 40 }, (_, k) => (k - 20 + 0.5) * 0.25), 1e6, -1e6, NaN, 0, -0], [45], 'float32');
  return [
    { kernel: 'quantizeLinear', name: 'int8 per tensor: ties to even, saturation at both ends, NaN', build: () => [ties(), scalarOf(0.25, 'float32'), scalarOf(-3, 'int8')], run: ([x, s, z]) => quantizeLinear(x!, s!, z!) },
    { kernel: 'quantizeLinear', name: 'uint8 per tensor, 1001 values (SIMD tail)', build: () => [floats([1001], 3, 1), scalarOf(Math.fround(0.0123), 'float32'), scalarOf(131, 'uint8')], run: ([x, s, z]) => quantizeLinear(x!, s!, z!) },
    { kernel: 'quantizeLinear', name: 'uint8 per channel along axis 1 of [2,3,5,7]', build: () => [floats([2, 3, 5, 7], 2, 2), scales(3, 0.02, 3), tensor([0, 128, 255], [3], 'uint8')], run: ([x, s, z]) => quantizeLinear(x!, s!, z!, { axis: 1 }) },
    { kernel: 'quantizeLinear', name: 'int8 per channel along the last axis, 5000 values', build: () => [floats([625, 8], 1, 4), scales(8, 0.01, 5), tensor(ints(8, -10, 10, 6), [8], 'int8')], run: ([x, s, z]) => quantizeLinear(x!, s!, z!, { axis: -1 }) },
    { kernel: 'quantizeLinear', name: 'empty [0, 3]', build: () => [tensor([], [0, 3], 'float32'), scalarOf(0.5, 'float32'), scalarOf(1, 'int8')], run: ([x, s, z]) => quantizeLinear(x!, s!, z!) },
  ];
}

function dequantizeCases(): QuantCompareCase[] {
  return [
    { kernel: 'dequantizeLinear', name: 'uint8 per tensor, 1001 values', build: () => [qt([1001], 'uint8', 7), scalarOf(Math.fround(0.037), 'float32'), scalarOf(100, 'uint8')], run: ([x, s, z]) => dequantizeLinear(x!, s!, z!) },
    { kernel: 'dequantizeLinear', name: 'int8 per channel along axis 2 of [2,3,9,4]', build: () => [qt([2, 3, 9, 4], 'int8', 8), scales(9, 0.1, 9), tensor(ints(9, -128, 127, 10), [9], 'int8')], run: ([x, s, z]) => dequantizeLinear(x!, s!, z!, { axis: 2 }) },
    {
      kernel: 'dequantizeLinear', name: 'int32 per tensor, values beyond 2^24 and at the int32 ends',
      build: () => [tensor([...ints(61, -2147483000, 2147483000, 11), 2147483647, -2147483648, 16777217], [64], 'int32'), scalarOf(Math.fround(1e-4), 'float32'), scalarOf(-7, 'int32')],
      run: ([x, s, z]) => dequantizeLinear(x!, s!, z!),
    },
    { kernel: 'dequantizeLinear', name: 'empty [4, 0], per channel', build: () => [tensor([], [4, 0], 'uint8'), scales(4, 1, 12), tensor([1, 2, 3, 4], [4], 'uint8')], run: ([x, s, z]) => dequantizeLinear(x!, s!, z!, { axis: 0 }) },
  ];
}

interface MmCase { name: string; M: number; K: number; N: number; a: Q; y: Q; perColumn: boolean; bias: boolean; relu: boolean; scales?: [number, number, number]; small?: boolean }

function matmulCase(c: MmCase, seed: number): QuantCompareCase {
  const [aS, bS, yS] = c.scales ?? [0.02, 0.005, 0.1];
  return {
    kernel: 'qlinearMatmul', name: c.name,
    build: () => [
      qt([c.M, c.K], c.a, seed, c.small), scalarOf(Math.fround(aS), 'float32'), scalarOf(c.small ? smallZp(c.a) : c.a === 'int8' ? -5 : 121, c.a),
      qt([c.K, c.N], 'int8', seed + 1, c.small),
      c.perColumn ? scales(c.N, bS, seed + 2) : scalarOf(Math.fround(bS), 'float32'),
      c.perColumn ? tensor(ints(c.N, -4, 4, seed + 3), [c.N], 'int8') : scalarOf(c.small ? 0 : 3, 'int8'),
      scalarOf(Math.fround(yS), 'float32'), scalarOf(c.y === 'int8' ? 2 : 118, c.y),
      ...(c.bias ? [tensor(ints(c.N, -30000, 30000, seed + 4), [c.N], 'int32')] : []),
    ],
    run: (xs) => qlinearMatmul(xs[0]!, xs[1]!, xs[2]!, xs[3]!, xs[4]!, xs[5]!, xs[6]!, xs[7]!, xs[8] ?? null, { activation: c.relu ? 'relu' : 'none' }),
  };
}

const MM: MmCase[] = [
  { name: 'uint8 → uint8, per tensor, no bias', M: 7, K: 13, N: 5, a: 'uint8', y: 'uint8', perColumn: false, bias: false, relu: false },
  { name: 'int8 → int8, per column, bias, relu', M: 9, K: 67, N: 11, a: 'int8', y: 'int8', perColumn: true, bias: true, relu: true },
  { name: 'uint8 → int8, per column, bias, K = 300 (blocked)', M: 33, K: 300, N: 70, a: 'uint8', y: 'int8', perColumn: true, bias: true, relu: false },
  { name: 'int8 → uint8, per tensor, bias, relu', M: 4, K: 16, N: 17, a: 'int8', y: 'uint8', perColumn: false, bias: true, relu: true },
  { name: 'saturation at both ends (yScale tiny)', M: 6, K: 20, N: 8, a: 'uint8', y: 'int8', perColumn: false, bias: true, relu: false, scales: [0.05, 0.05, 1e-5] },
  { name: 'ties: multiplier 0.5 exactly, int8', M: 8, K: 5, N: 9, a: 'int8', y: 'int8', perColumn: false, bias: false, relu: false, scales: [0.5, 1, 1], small: true },
  { name: 'ties: multiplier 0.5 exactly, uint8 → uint8', M: 6, K: 3, N: 7, a: 'uint8', y: 'uint8', perColumn: false, bias: false, relu: false, scales: [0.25, 2, 1], small: true },
  { name: 'empty M = 0', M: 0, K: 4, N: 3, a: 'uint8', y: 'uint8', perColumn: true, bias: true, relu: false },
  { name: 'K = 0: bias alone', M: 3, K: 0, N: 4, a: 'uint8', y: 'int8', perColumn: true, bias: true, relu: true },
];

interface ConvCase { name: string; x: number[]; w: number[]; stride: [number, number]; pads: [number, number, number, number]; dilation: [number, number]; groups: number; xt: Q; yt: Q; perChannel: boolean; bias: boolean; relu: boolean; scales?: [number, number, number]; small?: boolean }

function convCase(c: ConvCase, seed: number): QuantCompareCase {
  const [xS, wS, yS] = c.scales ?? [0.03, 0.004, 0.2];
  const O = c.w[0]!;
  return {
    kernel: 'qlinearConv2d', name: c.name,
    build: () => [
      qt(c.x, c.xt, seed, c.small), scalarOf(Math.fround(xS), 'float32'), scalarOf(c.small ? smallZp(c.xt) : c.xt === 'int8' ? 3 : 126, c.xt),
      qt(c.w, 'int8', seed + 1, c.small),
      c.perChannel ? scales(O, wS, seed + 2) : scalarOf(Math.fround(wS), 'float32'),
      c.perChannel ? tensor(ints(O, -3, 3, seed + 3), [O], 'int8') : scalarOf(c.small ? 0 : -2, 'int8'),
      scalarOf(Math.fround(yS), 'float32'), scalarOf(c.yt === 'int8' ? -4 : 97, c.yt),
      ...(c.bias ? [tensor(ints(O, -20000, 20000, seed + 4), [O], 'int32')] : []),
    ],
    run: (xs) => qlinearConv2d(xs[0]!, xs[1]!, xs[2]!, xs[3]!, xs[4]!, xs[5]!, xs[6]!, xs[7]!, xs[8] ?? null, {
      stride: c.stride, padding: c.pads, dilation: c.dilation, groups: c.groups, activation: c.relu ? 'relu' : 'none',
    }),
  };
}

const g1 = { stride: [1, 1] as [number, number], pads: [0, 0, 0, 0] as [number, number, number, number], dilation: [1, 1] as [number, number], groups: 1 };
const CONV: ConvCase[] = [
  { ...g1, name: '3×3 pads 1, uint8 → uint8, per channel, bias, relu', x: [2, 5, 7, 6], w: [6, 5, 3, 3], pads: [1, 1, 1, 1], xt: 'uint8', yt: 'uint8', perChannel: true, bias: true, relu: true },
  { ...g1, name: 'stride 2, asymmetric pads, int8 → int8, per tensor', x: [1, 3, 9, 8], w: [4, 3, 3, 2], stride: [2, 2], pads: [2, 0, 1, 3], xt: 'int8', yt: 'int8', perChannel: false, bias: false, relu: false },
  { ...g1, name: 'dilation 2×3, uint8 → int8, per channel, bias', x: [1, 4, 10, 11], w: [5, 4, 3, 2], dilation: [2, 3], pads: [1, 2, 0, 1], xt: 'uint8', yt: 'int8', perChannel: true, bias: true, relu: false },
  { ...g1, name: 'groups 3, 6 channels, int8 → uint8, relu', x: [2, 6, 6, 7], w: [9, 2, 3, 3], pads: [1, 1, 1, 1], groups: 3, xt: 'int8', yt: 'uint8', perChannel: true, bias: true, relu: true },
  { ...g1, name: 'depthwise, stride 3 > kernel 2', x: [1, 5, 10, 11], w: [5, 1, 2, 2], stride: [3, 3], groups: 5, xt: 'uint8', yt: 'uint8', perChannel: true, bias: false, relu: false },
  { ...g1, name: '1×1, 37 channels', x: [1, 37, 5, 6], w: [19, 37, 1, 1], xt: 'uint8', yt: 'int8', perChannel: true, bias: true, relu: false },
  { ...g1, name: 'saturation at both ends (yScale tiny)', x: [1, 3, 5, 5], w: [4, 3, 3, 3], xt: 'uint8', yt: 'uint8', perChannel: false, bias: true, relu: false, scales: [0.05, 0.05, 1e-5] },
  { ...g1, name: 'ties: multiplier 0.5 exactly, pads 1', x: [1, 2, 5, 5], w: [3, 2, 2, 2], pads: [1, 1, 1, 1], xt: 'int8', yt: 'int8', perChannel: false, bias: false, relu: false, scales: [0.5, 1, 1], small: true },
  { ...g1, name: 'ties: multiplier 0.5 exactly, uint8, relu', x: [1, 3, 4, 4], w: [2, 3, 1, 1], xt: 'uint8', yt: 'uint8', perChannel: false, bias: false, relu: true, scales: [0.5, 1, 1], small: true },
  { ...g1, name: 'empty batch', x: [0, 3, 5, 5], w: [4, 3, 3, 3], xt: 'uint8', yt: 'uint8', perChannel: true, bias: true, relu: false },
];

/** Every int8 case, by kernel (max pooling's in int8-pool-compare-cases.ts). */
export function quantCompareCases(): QuantCompareCase[] {
  return [
    ...quantizeCases(), ...dequantizeCases(), ...MM.map((c, i) => matmulCase(c, 100 + 10 * i)), ...CONV.map((c, i) => convCase(c, 300 + 10 * i)),
    ...int8PoolCompareCases(),
  ];
}
