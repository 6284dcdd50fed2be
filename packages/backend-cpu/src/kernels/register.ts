import type { KernelImpl, KernelName, PartialKernelSet } from '@mapnn/core/backend';
import type { CpuBackend } from '../cpu-backend.js';

/** The CPU implementation of kernel `K`: attrs typed by core's kernel spec table. */
export type CpuKernel<K extends KernelName> = KernelImpl<K, CpuBackend>;

/** One file's CPU kernels (registered for the table's dtypes unless an entry lists its own). */
export type CpuKernels = PartialKernelSet<CpuBackend>;
