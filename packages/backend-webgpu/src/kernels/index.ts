// Registers every webgpu kernel: the typed kernel set, checked against core's spec table.
import { registerKernels } from '@mapnn/core/backend';
import { webgpuKernels } from './kernel-set.js';

registerKernels('webgpu', webgpuKernels);
