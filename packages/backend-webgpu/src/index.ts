/**
 * @mapnn/backend-webgpu — WGSL kernels for the whole primitive kernel set plus tiled matmul
 * and im2col, on `navigator.gpu` (browsers) or a `GPU` object you pass (Node: see `./node`).
 * Importing this module registers the kernels and a `webgpu` backend on `navigator.gpu`.
 *
 * @example
 * import '@mapnn/backend-webgpu';
 * import { setBackendAsync } from '@mapnn/core';
 * await setBackendAsync('webgpu');
 * const y = await matmul(a, b).data(); // reads are asynchronous
 */
import { getBackendEntry } from '@mapnn/core/backend';
import './kernels/index.js';
import { registerWebGPUBackend } from './init.js';

// (the Node entry registers `webgpu` on Dawn; do not replace that registration)
if (!getBackendEntry('webgpu')) registerWebGPUBackend();

export { registerWebGPUBackend, createWebGPUBackend, adapterName, type WebGPUInitOptions } from './init.js';
export type {} from './gpu-types.js'; // the global WebGPU stand-ins, for the .d.ts
export { WebGPUBackend, SYNC_READ_ERROR, type WebGPUBackendOptions } from './backend.js';
export { GpuRuntime } from './runtime.js';
export { BufferPool, sizeClass, type PoolStats } from './pool.js';
export { matmulTile, type MatmulTile } from './kernels/matmul.js';
