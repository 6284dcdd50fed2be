import { registerKernel, type DType, type KernelAttrs, type TensorInfo } from '@mapnn/core';
import type { WasmBackend } from '../wasm-backend.js';

export type WasmKernel = (inputs: TensorInfo[], attrs: KernelAttrs, backend: WasmBackend) => TensorInfo | TensorInfo[];

/** Registers a kernel of the `wasm` backend (all dtypes but float16 unless listed). */
export function wasmKernel(op: string, fn: WasmKernel, dtypes?: readonly DType[]): void {
  registerKernel<WasmBackend>({ op, backend: 'wasm', dtypes, fn: (inputs, attrs, ctx) => fn(inputs, attrs, ctx.backend) });
}
