// The types the Tensor methods' signatures need, and the methods that are not ops (merged into
// `Tensor` in ../tensor.ts). Type-only: tensor.ts imports this file, so it must import no op.
import type { TypedArray } from '../dtypes.js';
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

/** One axis or several (negative counts from the end), as the reductions and `squeeze` take them. */
export type Axes = number | readonly number[];

/**
 * The Tensor methods that are not ops; merged into `Tensor` in tensor.ts beside the op methods
 * (`OpMethods`, generated from the op files' `methods` into op-method-types.ts).
 */
export interface BaseMethods {
  /**
   * Back-propagates from this tensor, accumulating into `.grad` of every leaf that requires
   * gradients. A non-scalar tensor needs a seed gradient of its shape. Each call is one step
   * of the memory debug mode (`setDebugMemory`).
   */
  backward(seed?: Tensor, options?: { createGraph?: boolean }): void;
}
