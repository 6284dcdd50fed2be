import { registerKernel, type DType, type KernelAttrs, type TensorInfo } from '@mapnn/core';
import type { CpuBackend } from '../cpu-backend.js';

export type CpuKernel = (inputs: TensorInfo[], attrs: KernelAttrs, backend: CpuBackend) => TensorInfo | TensorInfo[];

/** Registers a CPU kernel (all dtypes but float16 unless listed). */
export function cpuKernel(op: string, fn: CpuKernel, dtypes?: readonly DType[]): void {
  registerKernel<CpuBackend>({ op, backend: 'cpu', dtypes, fn: (inputs, attrs, ctx) => fn(inputs, attrs, ctx.backend) });
}

export const FLOATS: readonly DType[] = ['float32', 'float64'];
export const NUMERIC: readonly DType[] = ['float32', 'float64', 'int32', 'int64', 'int8', 'uint8', 'bool'];
