import type { DType, TypedArray } from './dtypes.js';
import type { Shape } from './shape.js';

/** Opaque handle to a backend's storage for one tensor (views share it). */
export type DataId = object;

/** What a kernel sees of a tensor: its storage handle, shape and dtype. */
export interface TensorInfo {
  readonly dataId: DataId;
  readonly shape: Shape;
  readonly dtype: DType;
}

/** Storage report of one backend, shown by `memory()`. */
export interface BackendMemory {
  numBuffers: number;
  numBytes: number;
  [detail: string]: unknown;
}

/**
 * A backend owns storage. Its computation is given by the kernels it registers
 * (see `registerKernel`); `docs/architecture.md` lists the primitive kernels every backend
 * must provide and the optional fast paths.
 */
export interface Backend {
  readonly name: string;
  /** Copies `values` (already in the storage format of `dtype`) into new storage. */
  write(values: TypedArray, dtype: DType): DataId;
  /** Reads storage back; the returned array is a copy the caller may keep. */
  read(dataId: DataId): Promise<TypedArray>;
  /** Synchronous read; backends that cannot (WebGPU) throw a clear error. */
  readSync(dataId: DataId): TypedArray;
  /** Frees storage; called when the last tensor viewing it is disposed. */
  disposeData(dataId: DataId): void;
  memory(): BackendMemory;
  /** Optional: release everything (called by `removeBackend`). */
  dispose?(): void;
}

/** Context a kernel runs with. */
export interface KernelContext<B extends Backend = Backend> {
  backend: B;
}

export type KernelAttrs = Record<string, unknown>;

/**
 * A kernel computes one primitive op for one backend, returning a new tensor's storage. A few
 * fused fast paths (e.g. `adamStep`) return several outputs; they are run with `runKernelMulti`.
 */
export type KernelFn<B extends Backend = Backend> = (
  inputs: TensorInfo[],
  attrs: KernelAttrs,
  ctx: KernelContext<B>,
) => TensorInfo | TensorInfo[];
