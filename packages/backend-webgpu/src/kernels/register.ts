import { KERNELS, type AttrsOf, type DTypeOf, type KernelName, type PartialKernelSet, type TensorInfo } from '@mapnn/core/backend';
import type { WebGPUBackend } from '../backend.js';

/** The WebGPU implementation of kernel `K`: attrs typed by core's kernel spec table, one output. */
export type GpuKernel<K extends KernelName> = (inputs: TensorInfo[], attrs: AttrsOf<K>, backend: WebGPUBackend) => TensorInfo;

/** One file's WebGPU kernels (each made by `gpuKernel`). */
export type GpuKernels = PartialKernelSet<WebGPUBackend>;

/** A kernel set entry of the webgpu backend: the guarded implementation and its dtypes. */
export interface GpuKernelDef<K extends KernelName> {
  readonly fn: GpuKernel<K>;
  readonly dtypes: readonly DTypeOf<K>[];
}

/**
 * The dtypes the webgpu backend computes kernel `op` for: the spec table's, plus float16.
 * float16 is stored as float32 words holding half values, so every kernel serves it directly
 * and rounds float16 results (the same values core's float32 fallback would give). float64 is
 * stored and computed as float32 (see dtype.ts).
 */
export function gpuDTypes<K extends KernelName>(op: K): DTypeOf<K>[] {
  const table: readonly DTypeOf<K>[] = KERNELS[op].dtypes;
  return table.includes('float16') ? [...table] : [...table, 'float16'];
}

/**
 * The entry of kernel `op`: `fn` (its outputs freed again if it throws) for `gpuDTypes(op)`.
 * (The return type is spelt out, not `GpuKernelDef<K>`, so that a helper over several kernels
 * with the same attrs and dtypes can return it as one of them, e.g. `GpuKernelDef<'sum'>`.)
 */
export function gpuKernel<K extends KernelName>(op: K, fn: GpuKernel<K>): { readonly fn: GpuKernel<K>; readonly dtypes: readonly DTypeOf<K>[] } {
  return { fn: (inputs, attrs, be) => be.guard(() => fn(inputs, attrs, be)), dtypes: gpuDTypes(op) };
}
