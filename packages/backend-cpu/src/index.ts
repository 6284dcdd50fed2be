/**
 * @mapnn/backend-cpu — importing this module registers the `cpu` backend and its kernels.
 *
 * @example
 * import '@mapnn/backend-cpu';
 * import { setBackend } from '@mapnn/core';
 * setBackend('cpu');
 */
import { registerBackend, registerKernels } from '@mapnn/core/backend';
import { CpuBackend } from './cpu-backend.js';
import { cpuKernels } from './kernels/kernel-set.js';

registerKernels('cpu', cpuKernels);
registerBackend('cpu', () => new CpuBackend(), { priority: 1 });

export { CpuBackend, cpuKernels };
export type { FloatArray } from './cpu-backend.js';
