/**
 * @mapnn/backend-wasm — importing this module registers the `wasm` backend: AssemblyScript
 * kernels compiled to WebAssembly SIMD128, tensors in one linear memory (shared with a pool of
 * worker threads when SharedArrayBuffer is available). Initialisation is asynchronous.
 *
 * @example
 * import '@mapnn/backend-wasm';
 * import { setBackendAsync } from '@mapnn/core';
 * await setBackendAsync('wasm');
 */
import { registerBackend } from '@mapnn/core/backend';
import { WasmBackend } from './wasm-backend.js';
import './kernels/index.js';

registerBackend('wasm', () => WasmBackend.create(), { priority: 2 });

export { WasmBackend, WasmData, KERNEL_NAMES, type WasmBackendOptions } from './wasm-backend.js';
export { setWasmThreads, setWasmWorkerUrl, setWasmParallelThreshold, setWasmSpinWait, defaultWorkerUrl, type WasmConfig } from './config.js';
export { Allocator, type AllocatorStats } from './allocator.js';
export { threadsSupported } from './worker-spawn.js';
export { relaxedSimdSupported } from './wasm-binary.js';
