import { Tensor } from './tensor.js';
import { transpose, swapAxes } from './ops/transpose.js';
import type { BaseMethods } from './methods/declarations.js';
import { backwardFrom } from './autograd/backward.js';
import { memoryStep } from './memory/debug-memory.js';
import type { MethodTable } from './methods/table.js';
import { OP_METHODS } from './methods/op-methods.js';

/*
 * Tensor methods: `a.add(b)` is `add(a, b)`. tensor.ts imports no op; each op file declares its
 * methods beside the op (`export const methods = { … }`), scripts/gen-ops.mjs collects them into
 * methods/op-methods.ts (and their declarations, merged into Tensor, into op-method-types.ts),
 * and the package entry (index.ts) installs them once with `installTensorMethods`. The
 * functions-only entry (functions.ts, `@mapnn/core/functions`) installs nothing, so a bundler
 * keeps only the ops an app names.
 */

/** The methods that are not ops. */
const baseMethods: MethodTable<BaseMethods> = {
  backward(this: Tensor, seed?: Tensor, options: { createGraph?: boolean } = {}) {
    memoryStep();
    backwardFrom(this, seed, options.createGraph ?? false);
  },
};

/** Every method table, in install order. */
const METHOD_TABLES: readonly object[] = [baseMethods, ...OP_METHODS];

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
      return this.rank < 2 ? transpose(this) : swapAxes(this, -2, -1);
    },
  });
}
