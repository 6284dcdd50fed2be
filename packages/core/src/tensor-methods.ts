import type { DType } from './dtypes.js';
import type { Shape } from './shape.js';
import { Tensor } from './tensor.js';
import * as ops from './ops/index.js';
import type { BaseMethods, TensorLike } from './methods/declarations.js';
import { backwardFrom } from './autograd/backward.js';
import { memoryStep } from './memory/debug-memory.js';
import type { MethodTable } from './methods/table.js';
import { elementwiseMethods } from './methods/elementwise.js';
import { reduceMethods } from './methods/reduce.js';
import { movementMethods } from './methods/movement.js';

/*
 * Tensor methods: `a.add(b)` is `add(a, b)`. tensor.ts imports no op; the methods are declared
 * on Tensor by declaration merging (here and in methods/*.ts) and installed once by the package
 * entry (index.ts calls `installTensorMethods`). The functions-only entry (functions.ts,
 * `@mapnn/core/functions`) installs nothing, so a bundler keeps only the ops an app names.
 */

const baseMethods: MethodTable<BaseMethods> = {
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
  backward(this: Tensor, seed?: Tensor, options: { createGraph?: boolean } = {}) {
    memoryStep();
    backwardFrom(this, seed, options.createGraph ?? false);
  },
};

/** Every method table, in install order. */
const METHOD_TABLES: readonly object[] = [baseMethods, elementwiseMethods, reduceMethods, movementMethods];

let installed = false;

/**
 * Installs the Tensor methods on `Tensor.prototype` (non-enumerable, like class methods).
 * Idempotent; called once by the package entry.
 */
export function installTensorMethods(): void {
  if (installed) return;
  installed = true;
  const proto = Tensor.prototype;
  for (const table of METHOD_TABLES) {
    for (const [name, value] of Object.entries(table)) {
      Object.defineProperty(proto, name, { value, writable: true, configurable: true, enumerable: false });
    }
  }
  Object.defineProperty(proto, 'T', {
    configurable: true,
    get(this: Tensor) {
      return this.rank < 2 ? ops.transpose(this) : ops.swapAxes(this, -2, -1);
    },
  });
}
