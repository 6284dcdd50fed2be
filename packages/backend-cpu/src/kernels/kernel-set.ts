import type { KernelSet } from '@mapnn/core/backend';
import type { CpuBackend } from '../cpu-backend.js';
import { convKernels } from './conv.js';
import { elementwiseKernels } from './elementwise.js';
import { matmulKernels } from './matmul.js';
import { movementKernels } from './movement.js';
import { optimizerKernels } from './optimizer.js';
import { poolKernels } from './pool.js';
import { quantizedKernels } from './quantized.js';
import { reduceKernels } from './reduce.js';

/**
 * Every kernel of the cpu backend: all primitives of core's kernel spec table and the fast paths
 * matmul, fusedMatmul, unfold2d, fold2d, maxPool2d, maxPool2dGrad, sigmoid, adamStep and the int8
 * kernels quantizeLinear, dequantizeLinear, qlinearMatmul, qlinearConv2d, maxPool2dInt8 (core composes conv2d,
 * fusedConv2d and the conv2d gradients from them). Checked against the table.
 */
export const cpuKernels = {
  ...elementwiseKernels,
  ...reduceKernels,
  ...movementKernels,
  ...matmulKernels,
  ...convKernels,
  ...poolKernels,
  ...optimizerKernels,
  ...quantizedKernels,
} satisfies KernelSet<CpuBackend>;
