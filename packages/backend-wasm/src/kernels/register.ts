import type { KernelImpl, KernelName, PartialKernelSet } from '@mapnn/core/backend';
import type { WasmBackend } from '../wasm-backend.js';

/** The wasm implementation of kernel `K`: attrs typed by core's kernel spec table. */
export type WasmKernel<K extends KernelName> = KernelImpl<K, WasmBackend>;

/** One file's wasm kernels (registered for the table's dtypes unless an entry lists its own). */
export type WasmKernels = PartialKernelSet<WasmBackend>;
