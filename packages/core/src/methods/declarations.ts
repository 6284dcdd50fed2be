// The Tensor methods' declarations (merged into `Tensor` in ../tensor.ts) and the types their
// signatures need. Type-only: tensor.ts imports this file, so it must import no op.
import type { DType, TypedArray } from '../dtypes.js';
import type { Shape } from '../shape.js';
import type { Tensor } from '../tensor.js';

/** Nested arrays of numbers, booleans or bigints (the values of `tensor()`). */
export type NestedArray = number | boolean | bigint | readonly NestedArray[];
/** What an op accepts as a tensor operand: a tensor, nested arrays or a typed array. */
export type TensorLike = Tensor | NestedArray | TypedArray | BigInt64Array;
/** Padding modes: `constant` fills `value`; `reflect` mirrors without repeating the edge; `edge` (alias `replicate`) repeats it. */
export type PadMode = 'constant' | 'reflect' | 'edge' | 'replicate';

/** Options of `variance` and `std`. */
export interface VarianceOptions {
  /** Subtracted from the element count in the divisor: 1 = unbiased (Bessel), 0 = population. Default 1. */
  correction?: number;
  /** Keep reduced dims as size 1. Default false. */
  keepDims?: boolean;
}

type Axes = number | readonly number[];

/** Tensor methods of this group; merged into `Tensor` in tensor.ts. */
export interface BaseMethods {
  add(b: TensorLike): Tensor;
  sub(b: TensorLike): Tensor;
  mul(b: TensorLike): Tensor;
  div(b: TensorLike): Tensor;
  neg(): Tensor;
  exp(): Tensor;
  log(): Tensor;
  sum(axes?: number | readonly number[], keepDims?: boolean): Tensor;
  reshape(shape: Shape): Tensor;
  view(shape: Shape): Tensor;
  broadcastTo(shape: Shape): Tensor;
  expand(shape: Shape): Tensor;
  cast(dtype: DType): Tensor;
  float(): Tensor;
  double(): Tensor;
  int(): Tensor;
  transpose(perm?: readonly number[]): Tensor;
  permute(perm: readonly number[]): Tensor;
  swapAxes(a: number, b: number): Tensor;
  matmul(b: TensorLike): Tensor;
  /**
   * Back-propagates from this tensor, accumulating into `.grad` of every leaf that requires
   * gradients. A non-scalar tensor needs a seed gradient of its shape. Each call is one step
   * of the memory debug mode (`setDebugMemory`).
   */
  backward(seed?: Tensor, options?: { createGraph?: boolean }): void;
}

/** Tensor methods of this group; merged into `Tensor` in tensor.ts. */
export interface ElementwiseMethods {
  abs(): Tensor;
  expm1(): Tensor;
  log1p(): Tensor;
  sqrt(): Tensor;
  rsqrt(): Tensor;
  square(): Tensor;
  sin(): Tensor;
  cos(): Tensor;
  tanh(): Tensor;
  sigmoid(): Tensor;
  relu(): Tensor;
  relu6(): Tensor;
  erf(): Tensor;
  sign(): Tensor;
  floor(): Tensor;
  ceil(): Tensor;
  round(): Tensor;
  reciprocal(): Tensor;
  leakyRelu(negativeSlope?: number): Tensor;
  elu(alpha?: number): Tensor;
  selu(): Tensor;
  gelu(approximate?: 'none' | 'tanh'): Tensor;
  softplus(beta?: number, threshold?: number): Tensor;
  silu(): Tensor;
  hardSigmoid(alpha?: number, beta?: number): Tensor;
  clip(min?: TensorLike | null, max?: TensorLike | null): Tensor;
  clamp(min?: TensorLike | null, max?: TensorLike | null): Tensor;
  logicalNot(): Tensor;
  pow(b: TensorLike): Tensor;
  maximum(b: TensorLike): Tensor;
  minimum(b: TensorLike): Tensor;
  mod(b: TensorLike): Tensor;
  eq(b: TensorLike): Tensor;
  ne(b: TensorLike): Tensor;
  lt(b: TensorLike): Tensor;
  le(b: TensorLike): Tensor;
  gt(b: TensorLike): Tensor;
  ge(b: TensorLike): Tensor;
  equal(b: TensorLike): Tensor;
  notEqual(b: TensorLike): Tensor;
  less(b: TensorLike): Tensor;
  lessEqual(b: TensorLike): Tensor;
  greater(b: TensorLike): Tensor;
  greaterEqual(b: TensorLike): Tensor;
  logicalAnd(b: TensorLike): Tensor;
  logicalOr(b: TensorLike): Tensor;
  logicalXor(b: TensorLike): Tensor;
}

/** Tensor methods of this group; merged into `Tensor` in tensor.ts. */
export interface ReduceMethods {
  /** Mean over `axes` (all by default); see `mean`. */
  mean(axes?: Axes, keepDims?: boolean): Tensor;
  /** Maximum over `axes` (all by default); see `max`. */
  max(axes?: Axes, keepDims?: boolean): Tensor;
  /** Minimum over `axes` (all by default); see `min`. */
  min(axes?: Axes, keepDims?: boolean): Tensor;
  /** Product over `axes` (all by default); see `prod`. */
  prod(axes?: Axes, keepDims?: boolean): Tensor;
  /** Index of the maximum along `axis` (flattened without one); see `argmax`. */
  argmax(axis?: number, keepDims?: boolean): Tensor;
  /** Index of the minimum along `axis` (flattened without one); see `argmin`. */
  argmin(axis?: number, keepDims?: boolean): Tensor;
  /** Stable log-sum-exp over `axes`; see `logsumexp`. */
  logsumexp(axes?: Axes, keepDims?: boolean): Tensor;
  /** Variance over `axes` (unbiased by default); see `variance`. */
  var(axes?: Axes, options?: VarianceOptions): Tensor;
  /** Standard deviation over `axes` (unbiased by default); see `std`. */
  std(axes?: Axes, options?: VarianceOptions): Tensor;
  /** Whether all elements over `axes` are true; see `all`. */
  all(axes?: Axes, keepDims?: boolean): Tensor;
  /** Whether any element over `axes` is true; see `any`. */
  any(axes?: Axes, keepDims?: boolean): Tensor;
  /** Softmax along `axis` (last by default); see `softmax`. */
  softmax(axis?: number): Tensor;
  /** Log-softmax along `axis` (last by default); see `logSoftmax`. */
  logSoftmax(axis?: number): Tensor;
  /** Cumulative sum along `axis`; see `cumsum`. */
  cumsum(axis: number): Tensor;
  /** Vector norm (`ord` 1, 2, ±Infinity) over `axes`; see `norm`. */
  norm(ord?: number, axes?: Axes, keepDims?: boolean): Tensor;
}

/** Tensor methods of this group; merged into `Tensor` in tensor.ts. */
export interface MovementMethods {
  squeeze(axes?: number | readonly number[]): Tensor;
  unsqueeze(axis: number): Tensor;
  flatten(startDim?: number, endDim?: number): Tensor;
  slice(
    starts: number | readonly number[],
    ends?: number | readonly number[],
    axes?: number | readonly number[],
    steps?: number | readonly number[],
  ): Tensor;
  narrow(axis: number, start: number, length: number): Tensor;
  split(sizeOrSections: number | readonly number[], axis?: number): Tensor[];
  chunk(chunks: number, axis?: number): Tensor[];
  unbind(axis?: number): Tensor[];
  gather(axis: number, index: TensorLike): Tensor;
  scatter(axis: number, index: TensorLike, src: TensorLike): Tensor;
  scatterAdd(axis: number, index: TensorLike, src: TensorLike): Tensor;
  indexSelect(axis: number, indices: TensorLike): Tensor;
  pad(pads: readonly number[], mode?: PadMode, value?: number): Tensor;
  tile(reps: number | readonly number[]): Tensor;
  repeatInterleave(repeats: number | readonly number[], axis?: number): Tensor;
  tril(k?: number): Tensor;
  triu(k?: number): Tensor;
  flip(axes: number | readonly number[]): Tensor;
}
