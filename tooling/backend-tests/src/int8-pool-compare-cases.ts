import { maxPool2d, tensor, type MaxPool2dOptions } from '@mapnn/core';
import type { QuantCompareCase } from './quant-compare-cases.js';
import { xorshift32 } from './testing.js';

/**
 * Cases of `maxPool2dInt8` (core's `maxPool2d` on int8 / uint8 levels) for the
 * fast-path-vs-composition comparison: the kernel's output must equal the float32 composition
 * (cast, float max pooling, cast back) bit for bit. They cover both dtypes, 2×2 and 3×3 windows,
 * strides below, at and above the kernel, pads (padding never wins, even over −128 / 0), dilation,
 * ceil mode, unbatched input, widths around the 16-lane SIMD step, empty batches and planes that
 * are all −128 / 127 / 0 / 255.
 */
type Q = 'int8' | 'uint8';
const RANGE: Record<Q, [number, number]> = { int8: [-128, 127], uint8: [0, 255] };

interface PoolCase { name: string; x: number[]; opts: MaxPool2dOptions; dtype: Q; fill?: 'low' | 'high' | 'ends' }

/** Seeded levels of `dtype`; `ends` draws only the two ends of the range, `low` / `high` is the one end. */
function levels(c: PoolCase, seed: number): number[] {
  const [lo, hi] = RANGE[c.dtype];
  const n = c.x.reduce((a, b) => a * b, 1);
  const next = xorshift32(seed);
  if (c.fill === 'low' || c.fill === 'high') return new Array<number>(n).fill(c.fill === 'low' ? lo : hi);
  if (c.fill === 'ends') return Array.from({ length: n }, () => (next() & 1 ? hi : lo));
  return Array.from({ length: n }, () => lo + (Math.abs(next()) % (hi - lo + 1)));
}

const CASES: PoolCase[] = [
  { name: '2×2 stride 2 (the CNN pooling), 40 channels of 14×14', x: [2, 40, 14, 14], opts: { kernelSize: 2 }, dtype: 'int8' },
  { name: '2×2 stride 2, odd sizes 13×37 (SIMD tail, cropped)', x: [3, 5, 13, 37], opts: { kernelSize: 2 }, dtype: 'uint8' },
  { name: '3×3 stride 2 padding 1 (overlapping)', x: [2, 3, 9, 33], opts: { kernelSize: 3, stride: 2, padding: 1 }, dtype: 'int8' },
  { name: '3×3 stride 1 padding 1, width 64', x: [1, 4, 6, 64], opts: { kernelSize: 3, stride: 1, padding: 1 }, dtype: 'uint8' },
  { name: '2×3 dilation 2, ceil mode', x: [1, 2, 10, 9], opts: { kernelSize: [2, 3], stride: 2, dilation: 2, ceilMode: true }, dtype: 'int8' },
  { name: '3×3 stride 2 padding 1, ceil mode, 7 channels', x: [1, 7, 8, 10], opts: { kernelSize: 3, stride: 2, padding: 1, ceilMode: true }, dtype: 'uint8' },
  { name: 'stride 3 > kernel 2, padding [1, 0]', x: [2, 6, 11, 40], opts: { kernelSize: 2, stride: 3, padding: [1, 0] }, dtype: 'int8' },
  { name: '1×1 stride 2', x: [1, 3, 5, 6], opts: { kernelSize: 1, stride: 2 }, dtype: 'uint8' },
  { name: 'unbatched [C, H, W], 3×3 stride 1', x: [3, 17, 18], opts: { kernelSize: 3, stride: 1 }, dtype: 'int8' },
  { name: 'all −128 with padding 1 (padding never wins)', x: [1, 2, 6, 20], opts: { kernelSize: 3, stride: 1, padding: 1 }, dtype: 'int8', fill: 'low' },
  { name: 'all 0 with padding 1, uint8 (padding never wins)', x: [1, 2, 7, 19], opts: { kernelSize: 2, stride: 1, padding: 1 }, dtype: 'uint8', fill: 'low' },
  { name: 'all 127, 2×2', x: [1, 3, 8, 34], opts: { kernelSize: 2 }, dtype: 'int8', fill: 'high' },
  { name: 'only −128 and 127, 2×2 stride 1', x: [2, 3, 9, 35], opts: { kernelSize: 2, stride: 1 }, dtype: 'int8', fill: 'ends' },
  { name: 'only 0 and 255, 3×3 stride 2 padding 1', x: [2, 3, 9, 35], opts: { kernelSize: 3, stride: 2, padding: 1 }, dtype: 'uint8', fill: 'ends' },
  { name: '1×1 image, 2×2 window with padding 1', x: [2, 3, 1, 1], opts: { kernelSize: 2, padding: 1 }, dtype: 'int8' },
  { name: 'empty batch', x: [0, 3, 4, 4], opts: { kernelSize: 2 }, dtype: 'uint8' },
];

/** Every `maxPool2dInt8` case. */
export function int8PoolCompareCases(): QuantCompareCase[] {
  return CASES.map((c, i) => ({
    kernel: 'maxPool2dInt8',
    name: `${c.dtype}, ${c.name}`,
    build: () => [tensor(levels(c, 500 + 10 * i), c.x, c.dtype)],
    run: ([x]) => maxPool2d(x!, c.opts),
  }));
}
