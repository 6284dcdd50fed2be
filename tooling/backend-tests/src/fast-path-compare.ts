import { describe, expect, it } from 'vitest';
import {
  adamStep, batchMatmul, conv2d, dispose, fold2d, fusedMatmul, hasKernel, maxPool2d, mul, sigmoid, sum, tensor, tidy, unfold2d, withoutFastPaths,
  type DType, type MaxPool2dOptions, type Tensor,
} from '@mapnn/core';
import { quantCompareCases, type QuantCompareCase } from './quant-compare-cases.js';
import { seededData } from './testing.js';
import type { ResolvedOptions } from './types.js';

/**
 * Every optional kernel (a fast path, `OPTIONAL_KERNELS`) against its core composition on the
 * same backend: each case runs once as usual and once inside `withoutFastPaths(…, off)`, forward
 * and backward (the gradients of sum(y · r) for fixed random r), and the two must agree — bit
 * for bit where marked `exact` (pure data movement), else to rounding (sums in another order).
 */
interface CompareCase {
  /** the optional kernel this case checks (whether the backend has it is in the test name) */
  kernel: string;
  name: string;
  /** kernels switched off for the reference (default: `[kernel]`) */
  off?: string[];
  /** input shapes; inputs are seeded random values scaled by `scale` */
  inputs: number[][];
  scale?: number[];
  /** indices of the inputs whose gradient is compared (default: all) */
  grads?: number[];
  /** the op under test (recorded for autograd); output(s) */
  run: (xs: Tensor[]) => Tensor | Tensor[];
  exact?: boolean;
}

/** Conv geometries: x [N, C, H, W], w [Cout, C/groups, kh, kw]; pads = [top, bottom, left, right]. */
interface ConvGeom {
  name: string;
  x: [number, number, number, number];
  w: [number, number, number, number];
  stride: [number, number];
  pads: [number, number, number, number];
  dilation: [number, number];
  groups: number;
}

const CONV_GEOMS: ConvGeom[] = [
  // oh = 2, ow = 3: the top pad 5 > 2·2 and the left pad 6 > 3·1 (whole kernel rows in the padding)
  { name: 'asymmetric pads larger than output × stride', x: [2, 5, 3, 3], w: [6, 5, 5, 7], stride: [2, 1], pads: [5, 0, 6, 0], dilation: [1, 1], groups: 1 },
  { name: 'dilation 2×3, asymmetric pads', x: [1, 3, 9, 8], w: [4, 3, 3, 2], stride: [1, 1], pads: [1, 2, 0, 3], dilation: [2, 3], groups: 1 },
  { name: 'groups 3, 6 channels (not a multiple of 4)', x: [2, 6, 7, 7], w: [9, 2, 3, 3], stride: [1, 1], pads: [1, 1, 1, 1], dilation: [1, 1], groups: 3 },
  { name: 'depthwise, stride 3 > kernel 2, batch 1', x: [1, 5, 10, 11], w: [5, 1, 2, 2], stride: [3, 3], pads: [0, 0, 0, 0], dilation: [1, 1], groups: 5 },
  { name: '1×1, batch 1, 7 channels', x: [1, 7, 5, 6], w: [3, 7, 1, 1], stride: [1, 1], pads: [0, 0, 0, 0], dilation: [1, 1], groups: 1 },
  { name: '3×3 stride 2 padding 1, 13 channels, odd sizes', x: [3, 13, 9, 7], w: [5, 13, 3, 3], stride: [2, 2], pads: [1, 1, 1, 1], dilation: [1, 1], groups: 1 },
];

function outSize(g: ConvGeom): [number, number] {
  const o = (i: 0 | 1) => Math.floor((g.x[2 + i]! + g.pads[2 * i]! + g.pads[2 * i + 1]! - g.dilation[i]! * (g.w[2 + i]! - 1) - 1) / g.stride[i]!) + 1;
  return [o(0), o(1)];
}

function convCases(): CompareCase[] {
  const cases: CompareCase[] = [];
  for (const g of CONV_GEOMS) {
    const opts = { stride: g.stride, padding: g.pads, dilation: g.dilation, groups: g.groups };
    const ufo = { kernel: [g.w[2], g.w[3]] as [number, number], stride: g.stride, pads: g.pads, dilation: g.dilation };
    const [oh, ow] = outSize(g);
    const scale = [1, 0.3, 1];
    cases.push(
      { kernel: 'conv2d', name: g.name, inputs: [g.x, g.w], scale, run: ([x, w]) => conv2d(x!, w!, null, opts) },
      { kernel: 'fusedConv2d', name: `bias + relu, ${g.name}`, inputs: [g.x, g.w, [g.w[0]]], scale, run: ([x, w, b]) => conv2d(x!, w!, b!, { ...opts, activation: 'relu' }) },
      { kernel: 'conv2dBackpropInput', name: g.name, inputs: [g.x, g.w], scale, grads: [0], run: ([x, w]) => conv2d(x!, w!, null, opts) },
      { kernel: 'conv2dBackpropFilter', name: g.name, inputs: [g.x, g.w], scale, grads: [1], run: ([x, w]) => conv2d(x!, w!, null, opts) },
      { kernel: 'unfold2d', name: g.name, inputs: [g.x], exact: true, run: ([x]) => unfold2d(x!, ufo) },
      { kernel: 'unfold2d', name: `−∞ padding, ${g.name}`, inputs: [g.x], exact: true, grads: [], run: ([x]) => unfold2d(x!, { ...ufo, padValue: -Infinity }) },
      {
        kernel: 'fold2d', name: g.name, inputs: [[g.x[0], g.x[1] * g.w[2] * g.w[3], oh * ow]],
        run: ([c]) => fold2d(c!, { ...ufo, outputSize: [g.x[2], g.x[3]] }),
      },
    );
  }
  return cases;
}

interface PoolGeom {
  name: string;
  x: [number, number, number, number];
  opts: MaxPool2dOptions;
}

const POOL_GEOMS: PoolGeom[] = [
  { name: '2×2 stride 2, odd sizes', x: [3, 5, 13, 11], opts: { kernelSize: 2 } },
  { name: '3×3 stride 2 padding 1 (overlapping)', x: [2, 3, 9, 8], opts: { kernelSize: 3, stride: 2, padding: 1 } },
  { name: '2×3 dilation 2, ceil mode', x: [1, 2, 10, 9], opts: { kernelSize: [2, 3], stride: 2, dilation: 2, ceilMode: true } },
  { name: '3×3 stride 2 padding 1, ceil mode, batch 1, 7 channels', x: [1, 7, 8, 10], opts: { kernelSize: 3, stride: 2, padding: 1, ceilMode: true } },
  { name: 'stride 3 > kernel 2, padding [1, 0]', x: [2, 6, 11, 10], opts: { kernelSize: 2, stride: 3, padding: [1, 0] } },
  { name: '1×1 stride 2', x: [1, 3, 5, 6], opts: { kernelSize: 1, stride: 2 } },
];

function poolCases(): CompareCase[] {
  return POOL_GEOMS.flatMap((g): CompareCase[] => [
    { kernel: 'maxPool2d', name: g.name, off: ['maxPool2d', 'maxPool2dGrad'], inputs: [g.x], run: ([x]) => maxPool2d(x!, g.opts) },
    { kernel: 'maxPool2dGrad', name: g.name, inputs: [g.x], run: ([x]) => maxPool2d(x!, g.opts) },
  ]);
}

function denseCases(): CompareCase[] {
  const mm = (name: string, a: number[], b: number[], tA: boolean, tB: boolean): CompareCase => ({
    kernel: 'matmul', name, inputs: [a, b], run: ([x, y]) => batchMatmul(x!, y!, tA, tB),
  });
  const fused = (name: string, a: number[], b: number[], tA: boolean, tB: boolean, relu: boolean): CompareCase => {
    const n = tB ? b[1]! : b[2]!;
    return {
      kernel: 'fusedMatmul', name, inputs: [a, b, [n]], grads: [0, 1, 2],
      run: ([x, y, bias]) => fusedMatmul(x!, y!, tA, tB, bias!, relu ? 'relu' : 'none'),
    };
  };
  const adamBase = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, step: 3 };
  return [
    mm('[2,5,7] @ [2,7,3]', [2, 5, 7], [2, 7, 3], false, false),
    mm('broadcast batch, transA + transB, 1 row', [1, 9, 1], [4, 6, 9], true, true),
    mm('transB, k = 67 (SIMD tail)', [3, 13, 67], [3, 11, 67], false, true),
    mm('large, packed and threaded', [1, 96, 200], [1, 200, 130], false, false),
    fused('linear layer shape, bias + relu', [1, 64, 300], [1, 200, 300], false, true, true),
    fused('batched, transA, bias only', [3, 9, 7], [1, 9, 13], true, false, false),
    fused('1 row, 5 columns, relu', [1, 1, 3], [1, 3, 5], false, false, true),
    { kernel: 'sigmoid', name: '1001 values in [−8, 8] (SIMD tail)', inputs: [[1001]], scale: [8], run: ([x]) => sigmoid(x!) },
    { kernel: 'sigmoid', name: 'large (threaded)', inputs: [[3, 70_001]], scale: [30], run: ([x]) => sigmoid(x!) },
    ...[
      { name: 'plain, 37 elements', size: 37, o: adamBase },
      { name: 'L2 decay, maximize, step 1', size: 1001, o: { ...adamBase, weightDecay: 0.01, maximize: true, step: 1 } },
      { name: 'AdamW, lr 0.1', size: 515, o: { ...adamBase, weightDecay: 0.05, decoupled: true, lr: 0.1, step: 7 } },
      { name: 'large (threaded)', size: 300_007, o: { ...adamBase, beta1: 0.8, beta2: 0.99, eps: 1e-6, step: 12 } },
    ].map(({ name, size, o }): CompareCase => ({
      kernel: 'adamStep', name, inputs: [[size], [size], [size], [size]], scale: [1, 1, 0.1, 0.01], grads: [],
      run: ([p, g, m, v]) => {
        const r = adamStep(p!, g!, m!, mul(v!, v!), o); // expAvgSq ≥ 0
        return [r.param, r.expAvg, r.expAvgSq];
      },
    })),
  ];
}

/** Every case, by kernel (the conformance suite checks each optional kernel has some). */
export function fastPathCompareCases(): (CompareCase | QuantCompareCase)[] {
  return [...floatCompareCases(), ...quantCompareCases()];
}

/** The float cases (run for float32, and float64 where the backend has it). */
function floatCompareCases(): CompareCase[] {
  return [...denseCases(), ...convCases(), ...poolCases()];
}

function size(s: readonly number[]): number {
  return s.reduce((a, b) => a * b, 1);
}

/** Inputs, then outputs and gradients (of sum(y·r) over every output) of `c` for `dtype`. */
function evaluate(c: CompareCase, dtype: DType): { inputs: Tensor[]; results: Tensor[] } {
  const inputs = c.inputs.map((s, i) => tensor(Array.from(seededData(size(s), 41 + i), (v) => v * (c.scale?.[i] ?? 1)), s, dtype));
  const want = c.grads ?? inputs.map((_, i) => i);
  for (const i of want) inputs[i]!.requiresGrad_();
  const ys = tidy(() => {
    const out = c.run(inputs);
    const outs = Array.isArray(out) ? out : [out];
    if (want.length > 0) {
      const r = (y: Tensor, k: number) => tensor(Array.from(seededData(size(y.shape), 61 + k)), y.shape, dtype);
      outs.map((y, k) => sum(mul(y, r(y, k)))).reduce((a, b) => a.add(b)).backward();
    }
    return outs;
  });
  return { inputs, results: [...ys, ...want.map((i) => inputs[i]!.grad!)] };
}

function worstDiff(got: number[], want: number[]): number {
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    const [g, w] = [got[i]!, want[i]!];
    if (Number.isNaN(g) || Number.isNaN(w) || !Number.isFinite(w)) {
      if (!Object.is(g, w) && !(Number.isNaN(g) && Number.isNaN(w))) return Infinity;
      continue;
    }
    worst = Math.max(worst, Math.abs(g - w) / (1 + Math.abs(w)));
  }
  return worst;
}

/** The fast-path-vs-composition comparison of every optional kernel (see `CompareCase`). */
export function fastPathCompareSuite(o: ResolvedOptions): void {
  describe('fast path = composition', () => {
    const dtypes: DType[] = o.float64 ? ['float32', 'float64'] : ['float32'];
    for (const dtype of dtypes) {
      for (const c of floatCompareCases()) {
        const name = `${c.kernel} ${dtype}: ${c.name}`;
        it.skipIf(o.isExcluded('fast paths', c.kernel, name))(name, async () => {
          const fast = hasKernel(c.kernel, dtype);
          const fastRun = evaluate(c, dtype);
          const refRun = withoutFastPaths(() => evaluate(c, dtype), c.off ?? [c.kernel]);
          const [got, want] = [fastRun.results, refRun.results];
          try {
            expect(got.map((t) => t.shape), name).toEqual(want.map((t) => t.shape));
            const tol = dtype === 'float32' ? Math.max(1e-5, o.rtol) : 1e-12;
            for (let k = 0; k < got.length; k++) {
              const label = `${name} (${k < got.length - (c.grads ?? c.inputs.map((_, i) => i)).length ? 'output' : 'gradient'} ${k}; backend kernel ${fast ? 'present' : 'absent'})`;
              const [g, w] = [Array.from(await got[k]!.data()), Array.from(await want[k]!.data())];
              if (c.exact && k === 0) expect(g, label).toEqual(w);
              else expect(worstDiff(g, w), label).toBeLessThan(tol);
            }
          } finally {
            dispose([fastRun, refRun]); // an input's dispose frees its gradient
          }
        });
      }
    }
    for (const c of quantCompareCases()) quantCase(o, c);
  });
}

/** An int8 case: the kernel's output (when the backend has it) equals the composition bit for bit. */
function quantCase(o: ResolvedOptions, c: QuantCompareCase): void {
  const name = `${c.kernel}: ${c.name}`;
  it.skipIf(o.isExcluded('fast paths', c.kernel, name))(name, async () => {
    const inputs = c.build();
    const fast = hasKernel(c.kernel, inputs[0]!.dtype);
    const [got, want] = [tidy(() => c.run(inputs)), withoutFastPaths(() => tidy(() => c.run(inputs)), [c.kernel])];
    try {
      const label = `${name} (backend kernel ${fast ? 'present' : 'absent'})`;
      expect([got.shape, got.dtype], label).toEqual([want.shape, want.dtype]);
      expect(Array.from(await got.data(), Number), label).toEqual(Array.from(await want.data(), Number));
    } finally {
      dispose([...inputs, got, want]);
    }
  });
}
