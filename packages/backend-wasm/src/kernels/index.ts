// Importing this module registers every kernel of the wasm backend.
import { registerKernels } from '@mapnn/core/backend';
import { wasmKernels } from './kernel-set.js';

registerKernels('wasm', wasmKernels);
