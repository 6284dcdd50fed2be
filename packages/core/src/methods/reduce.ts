// Tensor methods of the 'reduce' group: declared in declarations.ts, installed by the package
// entry (../tensor-methods.ts). Importing this file patches nothing.
import type { Tensor } from '../tensor.js';
import type { MethodTable } from './table.js';
import type { ReduceMethods, PadMode, TensorLike, VarianceOptions } from './declarations.js';
import * as ops from '../ops/index-reduce.js';

type Axes = number | readonly number[];


/** The implementations, one line per method (`x.relu()` is `relu(x)`). */
export const reduceMethods: MethodTable<ReduceMethods> = {
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
};
