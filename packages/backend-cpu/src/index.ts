/**
 * @mapnn/backend-cpu — importing this module registers the `cpu` backend and its kernels.
 *
 * @example
 * import '@mapnn/backend-cpu';
 * import { setBackend } from '@mapnn/core';
 * setBackend('cpu');
 */
import { registerBackend } from '@mapnn/core';
import { CpuBackend } from './cpu-backend.js';
import './kernels/elementwise.js';
import './kernels/reduce.js';
import './kernels/matmul.js';
import './kernels/index-extra.js';

registerBackend('cpu', () => new CpuBackend(), { priority: 1 });

export { CpuBackend };
