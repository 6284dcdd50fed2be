import type { KernelSet } from '@mapnn/core/backend';
import type { WebGPUBackend } from '../backend.js';
import { castKernels } from './cast.js';
import { convKernels } from './conv.js';
import { elementwiseKernels } from './elementwise.js';
import { indexingKernels } from './indexing.js';
import { matmulKernels } from './matmul.js';
import { movementKernels } from './movement.js';
import { reduceKernels } from './reduce.js';

/**
 * Every kernel of the webgpu backend: all primitives of core's kernel spec table and the fast
 * paths matmul, unfold2d, fold2d, conv2d and sigmoid (core composes fusedMatmul, fusedConv2d,
 * the conv2d gradients, maxPool2d, maxPool2dGrad and adamStep from them). Each is registered
 * for the table's dtypes plus float16 (`gpuDTypes`). Checked against the table.
 */
export const webgpuKernels = {
  ...elementwiseKernels,
  ...castKernels,
  ...reduceKernels,
  ...movementKernels,
  ...indexingKernels,
  ...matmulKernels,
  ...convKernels,
} satisfies KernelSet<WebGPUBackend>;
