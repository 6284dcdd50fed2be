/**
 * @mapnn/core/backend — everything a backend author imports: the `Backend` storage interface,
 * the kernel spec table and its types (`KERNELS`, `AttrsOf`, `KernelSet`), `registerBackend` and
 * `registerKernels`, and the dtype, shape and kernel-argument helpers every backend shares.
 * Side-effect free; see docs/kernels-and-ops.md, "Writing a backend".
 *
 * @example
 * import { registerBackend, registerKernels, type KernelSet } from '@mapnn/core/backend';
 * export const myKernels = { add, neg, … } satisfies KernelSet<MyBackend>;
 * registerKernels('mine', myKernels);
 * registerBackend('mine', () => new MyBackend());
 */
export type { Backend, BackendMemory, DataId, KernelAttrs, KernelContext, KernelFn, TensorInfo } from './backend.js';
export type {} from './symbol-dispose.js'; // the global Symbol.dispose declaration, for the .d.ts
export * from './dtypes.js';
export * from './shape.js';
export * from './kernel-utils/index.js';
export * from './registry/kernel-spec.js';
export * from './registry/kernel-set.js';
export { PRIMITIVE_KERNELS, OPTIONAL_KERNELS, FLOAT_ONLY_KERNELS, missingPrimitives } from './registry/contract.js';
export {
  registerBackend,
  registerKernel,
  getKernel,
  kernelsOf,
  getBackendEntry,
  registeredBackends,
  type BackendEntry,
  type KernelEntry,
} from './registry/registry.js';
