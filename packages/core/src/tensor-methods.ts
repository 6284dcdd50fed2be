import type { DType } from './dtypes.js';
import type { Shape } from './shape.js';
import { Tensor } from './tensor.js';
import * as ops from './ops/index.js';
import type { TensorLike } from './ops/tensor-factory.js';

/* Tensor methods for the common ops: `a.add(b)` is `add(a, b)`. */
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
  /** Transpose of a 2-D tensor (last two dims otherwise). */
  readonly T: Tensor;
  matmul(b: TensorLike): Tensor;
}

const P = Tensor.prototype as unknown as Record<string, unknown>;
Object.assign(P, {
  add(this: Tensor, b: TensorLike) { return ops.add(this, b); },
  sub(this: Tensor, b: TensorLike) { return ops.sub(this, b); },
  mul(this: Tensor, b: TensorLike) { return ops.mul(this, b); },
  div(this: Tensor, b: TensorLike) { return ops.div(this, b); },
  neg(this: Tensor) { return ops.neg(this); },
  exp(this: Tensor) { return ops.exp(this); },
  log(this: Tensor) { return ops.log(this); },
  sum(this: Tensor, axes?: number | readonly number[], keepDims?: boolean) { return ops.sum(this, axes, keepDims); },
  reshape(this: Tensor, shape: Shape) { return ops.reshape(this, shape); },
  view(this: Tensor, shape: Shape) { return ops.reshape(this, shape); },
  broadcastTo(this: Tensor, shape: Shape) { return ops.broadcastTo(this, shape); },
  expand(this: Tensor, shape: Shape) { return ops.expand(this, shape); },
  cast(this: Tensor, dtype: DType) { return ops.cast(this, dtype); },
  float(this: Tensor) { return ops.cast(this, 'float32'); },
  double(this: Tensor) { return ops.cast(this, 'float64'); },
  int(this: Tensor) { return ops.cast(this, 'int32'); },
  transpose(this: Tensor, perm?: readonly number[]) { return ops.transpose(this, perm); },
  permute(this: Tensor, perm: readonly number[]) { return ops.transpose(this, perm); },
  swapAxes(this: Tensor, a: number, b: number) { return ops.swapAxes(this, a, b); },
  matmul(this: Tensor, b: TensorLike) { return ops.matmul(this, b); },
});
Object.defineProperty(P, 'T', {
  get(this: Tensor) {
    return this.rank < 2 ? ops.transpose(this) : ops.swapAxes(this, -2, -1);
  },
});

import './methods/elementwise.js';
import './methods/reduce.js';
import './methods/movement.js';
import './methods/nn.js';
import './methods/random.js';
