import type { KernelSet } from '@mapnn/core/backend';
import type { WasmBackend } from '../wasm-backend.js';
import { castKernels } from './cast.js';
import { convKernels } from './conv.js';
import { elementwiseKernels } from './elementwise.js';
import { indexKernels } from './index-ops.js';
import { matmulKernels } from './matmul.js';
import { movementKernels } from './movement.js';
import { optimizerKernels } from './optimizer.js';
import { poolKernels } from './pool.js';
import { quantKernels } from './quant.js';
import { reduceKernels } from './reduce.js';

/**
 * Every kernel of the wasm backend: all primitives of core's kernel spec table and every fast
 * path (matmul, fusedMatmul, unfold2d, fold2d, conv2d, fusedConv2d, the conv2d gradients,
 * maxPool2d, maxPool2dGrad, sigmoid, adamStep) and the int8 kernels (quantizeLinear, dequantizeLinear,
 * qlinearMatmul, qlinearConv2d, maxPool2dInt8), each for the table's dtypes. Checked against the table.
 */
export const wasmKernels = {
  ...elementwiseKernels,
  ...castKernels,
  ...reduceKernels,
  ...movementKernels,
  ...indexKernels,
  ...matmulKernels,
  ...convKernels,
  ...poolKernels,
  ...optimizerKernels,
  ...quantKernels,
} satisfies KernelSet<WasmBackend>;
