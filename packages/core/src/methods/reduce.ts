// Tensor methods of the 'reduce' group (declaration merging on Tensor; see ../tensor-methods.ts).
import { Tensor } from '../tensor.js';
import * as ops from '../ops/index-reduce.js';
import type { VarianceOptions } from '../ops/variance.js';

type Axes = number | readonly number[];

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

Object.assign(Tensor.prototype as unknown as Record<string, unknown>, {
  mean(this: Tensor, axes?: Axes, keepDims?: boolean) { return ops.mean(this, axes, keepDims); },
  max(this: Tensor, axes?: Axes, keepDims?: boolean) { return ops.max(this, axes, keepDims); },
  min(this: Tensor, axes?: Axes, keepDims?: boolean) { return ops.min(this, axes, keepDims); },
  prod(this: Tensor, axes?: Axes, keepDims?: boolean) { return ops.prod(this, axes, keepDims); },
  argmax(this: Tensor, axis?: number, keepDims?: boolean) { return ops.argmax(this, axis, keepDims); },
  argmin(this: Tensor, axis?: number, keepDims?: boolean) { return ops.argmin(this, axis, keepDims); },
  logsumexp(this: Tensor, axes?: Axes, keepDims?: boolean) { return ops.logsumexp(this, axes, keepDims); },
  var(this: Tensor, axes?: Axes, options?: VarianceOptions) { return ops.variance(this, axes, options); },
  std(this: Tensor, axes?: Axes, options?: VarianceOptions) { return ops.std(this, axes, options); },
  all(this: Tensor, axes?: Axes, keepDims?: boolean) { return ops.all(this, axes, keepDims); },
  any(this: Tensor, axes?: Axes, keepDims?: boolean) { return ops.any(this, axes, keepDims); },
  softmax(this: Tensor, axis?: number) { return ops.softmax(this, axis); },
  logSoftmax(this: Tensor, axis?: number) { return ops.logSoftmax(this, axis); },
  cumsum(this: Tensor, axis: number) { return ops.cumsum(this, axis); },
  norm(this: Tensor, ord?: number, axes?: Axes, keepDims?: boolean) { return ops.norm(this, ord, axes, keepDims); },
});
