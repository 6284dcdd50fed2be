import type { DType } from '../dtypes.js';
import type { PadMode } from '../ops/pad.js';

/**
 * The kernel spec table: the one place a kernel is declared — its inputs, typed attributes,
 * dtypes and whether it is a primitive (every backend provides it) or an optional fast path
 * (core composes it from primitives when a backend lacks it). The primitive and optional lists,
 * the float-only set, the coverage table and the backends' `KernelSet` type derive from it.
 */

/** Attributes of a kernel that takes none. */
export type NoAttrs = Record<string, never>;

/** `cast`: the target dtype. */
export type CastAttrs = { dtype: DType };
/** `sum prod max min`: the reduced axes (sorted, unique, non-empty); reduced dims are removed. */
export type ReduceAttrs = { axes: readonly number[] };
/** `argmax argmin concat gather indexSelect scatter scatterAdd`: one non-negative axis. */
export type AxisAttrs = { axis: number };
/** `broadcastTo`: the target shape. */
export type BroadcastToAttrs = { shape: readonly number[] };
/** `transpose`: the permutation of the dims. */
export type TransposeAttrs = { perm: readonly number[] };
/** `slice`, one entry per dim: out[i] = x[begin + i·step] (step defaults to 1, may be negative). */
export type SliceKernelAttrs = { begin: readonly number[]; size: readonly number[]; step?: readonly number[] };
/** `pad`: pads = [before0, after0, before1, …] (≥ 0); mode defaults to 'constant', value to 0. */
export type PadKernelAttrs = { pads: readonly number[]; mode?: PadMode; value?: number };
/** `matmul` of a [Ba,m,k] (or [Ba,k,m] with transA) and b [Bb,k,n] (or [Bb,n,k] with transB). */
export type MatmulAttrs = { transA?: boolean; transB?: boolean };
/** An activation fused into `fusedMatmul` / `fusedConv2d`. */
export type KernelActivation = 'none' | 'relu';
/** `fusedMatmul`: matmul's attrs plus the activation applied after the bias. */
export type FusedMatmulAttrs = MatmulAttrs & { activation?: KernelActivation };
/** A 2-D pair `[h, w]`. */
export type Pair2 = readonly [number, number];
/** 2-D padding `[top, bottom, left, right]`. */
export type Pads4 = readonly [number, number, number, number];
/** The window of `unfold2d fold2d maxPool2d maxPool2dGrad maxPool2dInt8` (stride, pads, dilation default 1, 0, 1). */
export type WindowAttrs = { kernel: Pair2; stride?: Pair2; pads?: Pads4; dilation?: Pair2 };
/** `unfold2d`: the window plus the value of the padded border (default 0). */
export type Unfold2dKernelAttrs = WindowAttrs & { padValue?: number };
/** `fold2d`: the window plus the output's spatial size `[H, W]`. */
export type Fold2dKernelAttrs = WindowAttrs & { outputSize: Pair2 };
/** `conv2d` (the kernel size is the weight's): stride, pads, dilation and groups. */
export type Conv2dKernelAttrs = { stride: Pair2; pads: Pads4; dilation: Pair2; groups: number };
/** `fusedConv2d`: conv2d's attrs plus the activation applied after the bias. */
export type FusedConv2dAttrs = Conv2dKernelAttrs & { activation?: KernelActivation };
/** `conv2dBackpropInput`: conv2d's attrs plus the input's shape [N,C,H,W]. */
export type Conv2dBackpropInputAttrs = Conv2dKernelAttrs & { inputShape: readonly number[] };
/** `conv2dBackpropFilter`: conv2d's attrs plus the weight's shape [O,C/g,kh,kw]. */
export type Conv2dBackpropFilterAttrs = Conv2dKernelAttrs & { filterShape: readonly number[] };
/** `quantizeLinear`: y = saturate(roundHalfEven(x / scale) + zeroPoint), per tensor or along `axis`. */
export type QuantizeLinearAttrs = { axis: number; dtype: 'int8' | 'uint8' };
/** `dequantizeLinear`: y = (x − zeroPoint) · scale (float32), per tensor or along `axis`. */
export type DequantizeLinearAttrs = { axis: number };
/** `qlinearMatmul` / `qlinearConv2d`: an activation applied on the requantized output ('relu' clamps at yZeroPoint). */
export type QLinearMatmulAttrs = { activation?: KernelActivation };
export type QLinearConv2dAttrs = Conv2dKernelAttrs & { activation?: KernelActivation };
/** `maxPool2dGrad`: the pooling window plus the input's shape [N,C,H,W]. */
export type MaxPool2dGradAttrs = WindowAttrs & { inputShape: readonly number[] };
/** `adamStep`: one Adam/AdamW update, its bias corrections folded into stepSize and bc2Sqrt. */
export type AdamStepAttrs = {
  beta1: number;
  beta2: number;
  eps: number;
  /** lr / (1 − β₁ᵗ) */
  stepSize: number;
  /** √(1 − β₂ᵗ) */
  bc2Sqrt: number;
  weightDecay: number;
  decoupled: boolean;
  /** 1 − lr·weightDecay (used when decoupled) */
  decoupledScale: number;
  maximize: boolean;
};

/** Dtype lists of the table. float16 is a storage dtype: any kernel may add a float16 entry. */
export const FLOAT_DTYPES = ['float32', 'float64'] as const;
export const NUMERIC_DTYPES = ['float32', 'float64', 'int32', 'int64', 'int8', 'uint8', 'bool'] as const;
export const ALL_DTYPES = ['float32', 'float64', 'float16', 'int32', 'int64', 'int8', 'uint8', 'bool'] as const;

/** How many inputs a kernel takes: a count, a `[min, max]` range, or `[min]` for any number from min. */
export type Arity = number | readonly [min: number, max?: number];

export type KernelKind = 'primitive' | 'fast';

/** One row of the table. `A` (the attrs) is a type only; `attrs` holds no value. */
export type KernelSpec<A = unknown, Kd extends KernelKind = KernelKind, D extends readonly DType[] = readonly DType[], O extends number = number> = {
  readonly kind: Kd;
  readonly arity: Arity;
  /** What a backend registers by default, and may narrow (it may always add float16). */
  readonly dtypes: D;
  /** Number of outputs; above 1 the kernel is run with `runKernelMulti`. */
  readonly outputs: O;
  /** Fast paths: the core op that composes the kernel from primitives when a backend lacks it. */
  readonly composedBy?: string;
  readonly attrs?: A;
};

type SpecInput<A, D extends readonly DType[], O extends number = 1> = { arity: Arity; dtypes: D; outputs?: O; attrs?: A };

/** Declares a kernel's attribute type in the table: `attrs: attrs<CastAttrs>()` (no runtime value). */
function attrs<A>(): A | undefined {
  return undefined;
}

/** A primitive kernel: every backend must provide it. */
function primitive<D extends readonly DType[], A = NoAttrs>(s: SpecInput<A, D>): KernelSpec<A, 'primitive', D, 1> {
  return { kind: 'primitive', arity: s.arity, dtypes: s.dtypes, outputs: 1 };
}

/** An optional fast path, composed by the core op `composedBy` on a backend without it. */
function fast<D extends readonly DType[], A = NoAttrs, O extends number = 1>(s: SpecInput<A, D, O> & { composedBy: string }): KernelSpec<A, 'fast', D, O> {
  const outputs = (s.outputs ?? 1) as O; // O is its default, 1, exactly when `outputs` is left out
  return { kind: 'fast', arity: s.arity, dtypes: s.dtypes, outputs, composedBy: s.composedBy };
}

const F = FLOAT_DTYPES;
const N = NUMERIC_DTYPES;
const ALL = ALL_DTYPES;
const unary = <D extends readonly DType[]>(dtypes: D) => primitive({ arity: 1, dtypes });
const binary = primitive({ arity: 2, dtypes: N });
const onAxis = primitive({ arity: 1, dtypes: N, attrs: attrs<AxisAttrs>() });
const reduce = primitive({ arity: 1, dtypes: N, attrs: attrs<ReduceAttrs>() });

/** Every kernel of mapnn (see docs/kernels-and-ops.md for what each computes). */
export const KERNELS = {
  // unary
  neg: unary(N), abs: unary(N), sign: unary(N), floor: unary(N), ceil: unary(N), round: unary(N), logicalNot: unary(N),
  exp: unary(F), expm1: unary(F), log: unary(F), log1p: unary(F), sqrt: unary(F), sin: unary(F), cos: unary(F),
  tanh: unary(F), erf: unary(F), reciprocal: unary(F),
  // binary (broadcasting)
  add: binary, sub: binary, mul: binary, div: binary, pow: binary, maximum: binary, minimum: binary, mod: binary,
  eq: binary, ne: binary, lt: binary, le: binary, gt: binary, ge: binary,
  logicalAnd: binary, logicalOr: binary, logicalXor: binary,
  where: primitive({ arity: 3, dtypes: N }),
  // conversion and reduction
  cast: primitive({ arity: 1, dtypes: ALL, attrs: attrs<CastAttrs>() }),
  sum: reduce, prod: reduce, max: reduce, min: reduce,
  argmax: onAxis, argmin: onAxis,
  // movement
  broadcastTo: primitive({ arity: 1, dtypes: ALL, attrs: attrs<BroadcastToAttrs>() }),
  transpose: primitive({ arity: 1, dtypes: ALL, attrs: attrs<TransposeAttrs>() }),
  slice: primitive({ arity: 1, dtypes: ALL, attrs: attrs<SliceKernelAttrs>() }),
  pad: primitive({ arity: 1, dtypes: ALL, attrs: attrs<PadKernelAttrs>() }),
  concat: primitive({ arity: [1], dtypes: ALL, attrs: attrs<AxisAttrs>() }),
  gather: primitive({ arity: 2, dtypes: ALL, attrs: attrs<AxisAttrs>() }),
  indexSelect: primitive({ arity: 2, dtypes: ALL, attrs: attrs<AxisAttrs>() }),
  scatter: primitive({ arity: 3, dtypes: ALL, attrs: attrs<AxisAttrs>() }),
  scatterAdd: primitive({ arity: 3, dtypes: N, attrs: attrs<AxisAttrs>() }), // adds: float16 in float32 unless a backend lists it
  // optional fast paths
  matmul: fast({ arity: 2, dtypes: F, attrs: attrs<MatmulAttrs>(), composedBy: 'batchMatmul' }),
  fusedMatmul: fast({ arity: [2, 3], dtypes: F, attrs: attrs<FusedMatmulAttrs>(), composedBy: 'fusedMatmul' }),
  unfold2d: fast({ arity: 1, dtypes: F, attrs: attrs<Unfold2dKernelAttrs>(), composedBy: 'unfold2d' }),
  fold2d: fast({ arity: 1, dtypes: F, attrs: attrs<Fold2dKernelAttrs>(), composedBy: 'fold2d' }),
  conv2d: fast({ arity: 2, dtypes: F, attrs: attrs<Conv2dKernelAttrs>(), composedBy: 'conv2d' }),
  fusedConv2d: fast({ arity: [2, 3], dtypes: F, attrs: attrs<FusedConv2dAttrs>(), composedBy: 'conv2d' }),
  conv2dBackpropInput: fast({ arity: 2, dtypes: F, attrs: attrs<Conv2dBackpropInputAttrs>(), composedBy: 'conv2dBackpropInput' }),
  conv2dBackpropFilter: fast({ arity: 2, dtypes: F, attrs: attrs<Conv2dBackpropFilterAttrs>(), composedBy: 'conv2dBackpropFilter' }),
  maxPool2d: fast({ arity: 1, dtypes: F, outputs: 2, attrs: attrs<WindowAttrs>(), composedBy: 'maxPool2d' }),
  maxPool2dGrad: fast({ arity: 2, dtypes: F, attrs: attrs<MaxPool2dGradAttrs>(), composedBy: 'maxPool2dBackward' }),
  sigmoid: fast({ arity: 1, dtypes: F, composedBy: 'sigmoid' }),
  adamStep: fast({ arity: 4, dtypes: F, outputs: 3, attrs: attrs<AdamStepAttrs>(), composedBy: 'adamStep' }),
  // int8 inference (see the int8 kernel contract in docs/kernels-and-ops.md)
  quantizeLinear: fast({ arity: 3, dtypes: ['float32'], attrs: attrs<QuantizeLinearAttrs>(), composedBy: 'quantizeLinear' }),
  dequantizeLinear: fast({ arity: 3, dtypes: ['int8', 'uint8', 'int32'], attrs: attrs<DequantizeLinearAttrs>(), composedBy: 'dequantizeLinear' }),
  qlinearMatmul: fast({ arity: [8, 9], dtypes: ['int8', 'uint8'], attrs: attrs<QLinearMatmulAttrs>(), composedBy: 'qlinearMatmul' }),
  qlinearConv2d: fast({ arity: [8, 9], dtypes: ['int8', 'uint8'], attrs: attrs<QLinearConv2dAttrs>(), composedBy: 'qlinearConv2d' }),
  maxPool2dInt8: fast({ arity: 1, dtypes: ['int8', 'uint8'], attrs: attrs<WindowAttrs>(), composedBy: 'maxPool2d' }), // values only: integers carry no gradient
} as const;

type Table = typeof KERNELS;
export type KernelName = keyof Table;
/** The attributes kernel `K` is called with. */
export type AttrsOf<K extends KernelName> = Table[K] extends KernelSpec<infer A, KernelKind, readonly DType[], number> ? A : never;
/** The number of outputs of kernel `K` (a literal: 2 for `maxPool2d`). */
export type OutputsOf<K extends KernelName> = Table[K]['outputs'];
/** The dtypes a backend may register kernel `K` for: the table's, plus float16. */
export type DTypeOf<K extends KernelName> = Table[K]['dtypes'][number] | 'float16';
export type PrimitiveKernel = { [K in KernelName]: Table[K]['kind'] extends 'primitive' ? K : never }[KernelName];
export type FastKernel = Exclude<KernelName, PrimitiveKernel>;

/** Every kernel name, in table order. */
export const KERNEL_NAMES = Object.keys(KERNELS) as KernelName[]; // Object.keys is string[]; these are the table's keys

/** Whether `op` is a kernel of the table (rather than a backend's or a test's own kernel). */
export function isKernelName(op: string): op is KernelName {
  return Object.hasOwn(KERNELS, op);
}

/** Whether `op` is a primitive kernel (every backend provides it). */
export function isPrimitiveKernel(op: string): op is PrimitiveKernel {
  return isKernelName(op) && KERNELS[op].kind === 'primitive';
}

/** Whether `op` is an optional fast path (core composes it when a backend lacks it). */
export function isFastKernel(op: string): op is FastKernel {
  return isKernelName(op) && KERNELS[op].kind === 'fast';
}

/** Kernels computed only for float dtypes (core promotes int and bool inputs first). */
export function floatOnlyKernels(): KernelName[] {
  return KERNEL_NAMES.filter((k) => KERNELS[k].dtypes.every((d) => d === 'float32' || d === 'float64' || d === 'float16'));
}

/** Throws, naming the op and the counts, unless `n` inputs fit the arity of kernel `op`. */
export function checkArity(op: KernelName, n: number): void {
  const a = KERNELS[op].arity;
  const [min, max] = typeof a === 'number' ? [a, a] : [a[0], a[1] ?? Infinity];
  if (n < min || n > max) {
    const want = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
    throw new Error(`Kernel '${op}' takes ${want} input${max === 1 ? '' : 's'}, got ${n}`);
  }
}
