import { registerKernel, type DType, type KernelAttrs, type TensorInfo } from '@mapnn/core';
import type { WebGPUBackend } from '../backend.js';

export type GpuKernel = (inputs: TensorInfo[], attrs: KernelAttrs, backend: WebGPUBackend) => TensorInfo;

/** Registers a `webgpu` kernel for `dtypes` (its outputs are freed again if it throws). */
export function gpuKernel(op: string, fn: GpuKernel, dtypes: readonly DType[]): void {
  registerKernel<WebGPUBackend>({
    op,
    backend: 'webgpu',
    dtypes,
    fn: (inputs, attrs, ctx) => ctx.backend.guard(() => fn(inputs, attrs, ctx.backend)),
  });
}

/**
 * Every dtype. float16 is stored as float32 words holding half values, so kernels serve it
 * directly and round float16 results (the same values core's float32 fallback would give).
 */
export const ALL: readonly DType[] = ['float32', 'float64', 'float16', 'int32', 'int64', 'int8', 'uint8', 'bool'];
export const FLOATS: readonly DType[] = ['float32', 'float64', 'float16'];
