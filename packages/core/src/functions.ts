/**
 * @mapnn/core/functions — every export of @mapnn/core, as plain functions: this entry installs
 * no Tensor methods and has no side effects, so a bundler keeps only the ops an app names
 * (`add(x, y)`, not `x.add(y)`). The package entry (index.ts) adds the methods.
 */
export * from './dtypes.js';
export * from './shape.js';
export type { Backend, BackendMemory, DataId, KernelAttrs, KernelContext, KernelFn, TensorInfo } from './backend.js';
export * from './registry/registry.js';
export {
  setBackend,
  setBackendAsync,
  setBackendPreference,
  getBackend,
  getBackendName,
  findBackend,
  removeBackend,
} from './engine.js';
export { Tensor, isTensor } from './tensor.js';
export type {} from './symbol-dispose.js'; // the global Symbol.dispose declaration, for the .d.ts
export { tidy, keep, dispose, opScope } from './memory/scope.js';
export * from './memory/memory.js';
export { setDebugMemory, isDebugMemory, memoryStep, type DebugMemoryOptions, type MemoryGrowthReport } from './memory/debug-memory.js';
export { noGrad, enableGrad, isGradEnabled, withGrad } from './autograd/node.js';
export type { GradNode } from './autograd/node.js';
export { gradients } from './autograd/backward.js';
export * from './autograd/functional.js';
export { runKernel, runKernelMulti, hasKernel, makeTensor, setCheckNumerics } from './ops/kernel.js';
export { withoutFastPaths, setFastPathsDisabled } from './registry/fast-paths.js';
export { observeKernels, type KernelEvent } from './ops/observe.js';
export { binaryOperands, castTo, asFloat, defineOp } from './ops/helpers.js';
export * from './kernel-utils/index.js';
export * from './ops/index.js';
export { Generator, manualSeed, getDefaultGenerator, setDefaultGenerator, DEFAULT_SEED } from './random/generator.js';
export type { GeneratorState } from './random/generator.js';
export type { RandomOptions } from './random/sample.js';
export type { ElementwiseReference, ElementwiseReferences } from './ops/elementwise-reference.js';
export * from './registry/contract.js';
export * from './registry/kernel-spec.js';
export * from './registry/kernel-set.js';
