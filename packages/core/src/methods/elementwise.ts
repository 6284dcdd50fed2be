// Tensor methods of the 'elementwise' group (declaration merging on Tensor; see ../tensor-methods.ts).
import { Tensor } from '../tensor.js';
import * as ops from '../ops/index-elementwise.js';
import type { TensorLike } from '../ops/tensor-factory.js';

/* `x.relu()` is `relu(x)`, `a.pow(b)` is `pow(a, b)`, … (`where` is a function only). */
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

const P = Tensor.prototype as unknown as Record<string, unknown>;
Object.assign(P, {
  abs(this: Tensor) { return ops.abs(this); },
  expm1(this: Tensor) { return ops.expm1(this); },
  log1p(this: Tensor) { return ops.log1p(this); },
  sqrt(this: Tensor) { return ops.sqrt(this); },
  rsqrt(this: Tensor) { return ops.rsqrt(this); },
  square(this: Tensor) { return ops.square(this); },
  sin(this: Tensor) { return ops.sin(this); },
  cos(this: Tensor) { return ops.cos(this); },
  tanh(this: Tensor) { return ops.tanh(this); },
  sigmoid(this: Tensor) { return ops.sigmoid(this); },
  relu(this: Tensor) { return ops.relu(this); },
  relu6(this: Tensor) { return ops.relu6(this); },
  erf(this: Tensor) { return ops.erf(this); },
  sign(this: Tensor) { return ops.sign(this); },
  floor(this: Tensor) { return ops.floor(this); },
  ceil(this: Tensor) { return ops.ceil(this); },
  round(this: Tensor) { return ops.round(this); },
  reciprocal(this: Tensor) { return ops.reciprocal(this); },
  leakyRelu(this: Tensor, negativeSlope?: number) { return ops.leakyRelu(this, negativeSlope); },
  elu(this: Tensor, alpha?: number) { return ops.elu(this, alpha); },
  selu(this: Tensor) { return ops.selu(this); },
  gelu(this: Tensor, approximate?: 'none' | 'tanh') { return ops.gelu(this, approximate); },
  softplus(this: Tensor, beta?: number, threshold?: number) { return ops.softplus(this, beta, threshold); },
  silu(this: Tensor) { return ops.silu(this); },
  hardSigmoid(this: Tensor, alpha?: number, beta?: number) { return ops.hardSigmoid(this, alpha, beta); },
  clip(this: Tensor, min?: TensorLike | null, max?: TensorLike | null) { return ops.clip(this, min, max); },
  clamp(this: Tensor, min?: TensorLike | null, max?: TensorLike | null) { return ops.clip(this, min, max); },
  logicalNot(this: Tensor) { return ops.logicalNot(this); },
  pow(this: Tensor, b: TensorLike) { return ops.pow(this, b); },
  maximum(this: Tensor, b: TensorLike) { return ops.maximum(this, b); },
  minimum(this: Tensor, b: TensorLike) { return ops.minimum(this, b); },
  mod(this: Tensor, b: TensorLike) { return ops.mod(this, b); },
  eq(this: Tensor, b: TensorLike) { return ops.eq(this, b); },
  ne(this: Tensor, b: TensorLike) { return ops.ne(this, b); },
  lt(this: Tensor, b: TensorLike) { return ops.lt(this, b); },
  le(this: Tensor, b: TensorLike) { return ops.le(this, b); },
  gt(this: Tensor, b: TensorLike) { return ops.gt(this, b); },
  ge(this: Tensor, b: TensorLike) { return ops.ge(this, b); },
  equal(this: Tensor, b: TensorLike) { return ops.eq(this, b); },
  notEqual(this: Tensor, b: TensorLike) { return ops.ne(this, b); },
  less(this: Tensor, b: TensorLike) { return ops.lt(this, b); },
  lessEqual(this: Tensor, b: TensorLike) { return ops.le(this, b); },
  greater(this: Tensor, b: TensorLike) { return ops.gt(this, b); },
  greaterEqual(this: Tensor, b: TensorLike) { return ops.ge(this, b); },
  logicalAnd(this: Tensor, b: TensorLike) { return ops.logicalAnd(this, b); },
  logicalOr(this: Tensor, b: TensorLike) { return ops.logicalOr(this, b); },
  logicalXor(this: Tensor, b: TensorLike) { return ops.logicalXor(this, b); },
});
