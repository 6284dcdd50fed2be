// Tensor methods of the 'elementwise' group: declared in declarations.ts, installed by the package
// entry (../tensor-methods.ts). Importing this file patches nothing.
import type { Tensor } from '../tensor.js';
import type { MethodTable } from './table.js';
import type { ElementwiseMethods, PadMode, TensorLike, VarianceOptions } from './declarations.js';
import * as ops from '../ops/index-elementwise.js';

/* `x.relu()` is `relu(x)`, `a.pow(b)` is `pow(a, b)`, … (`where` is a function only). */

/** The implementations, one line per method (`x.relu()` is `relu(x)`). */
export const elementwiseMethods: MethodTable<ElementwiseMethods> = {
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
};
