/**
 * The `webgpu` backend's storage: one pooled GPU buffer of 32-bit words per tensor (see
 * dtype.ts for the dtype mapping), read back asynchronously.
 *
 * Synchronous reads: WebGPU has no blocking readback (Dawn in Node neither: a map completes
 * only when the event loop runs). `readSync` therefore throws — except for storage written from
 * the host that still has its host copy: small uploads (≤ `hostMirrorElements` elements) keep
 * one, so `item()` on a freshly created scalar and the synchronous index/range checks of
 * kernels work on them. Kernel results never have one. Use `await tensor.data()`.
 */
import {
  allocArray,
  bytesPerElement,
  sizeOf,
  type Backend,
  type BackendMemory,
  type DataId,
  type DType,
  type Shape,
  type TensorInfo,
  type TypedArray,
} from '@mapnn/core/backend';
import { fromWords, toWords } from './dtype.js';
import { GpuRuntime, type RuntimeOptions } from './runtime.js';

/** Options of the backend (and of `registerWebGPUBackend`). */
export interface WebGPUBackendOptions extends RuntimeOptions {
  /** Host copies are kept for uploads of up to this many elements (default 1024; 0 = none). */
  hostMirrorElements?: number;
}

interface Entry {
  buffer: GPUBuffer;
  dtype: DType;
  size: number;
  /** The values as written (storage format of `dtype`), when kept. */
  host?: TypedArray;
  /** An int64 value outside the 32-bit range the GPU computes int64 in. */
  wide?: number;
}

export const SYNC_READ_ERROR =
  'WebGPU cannot read synchronously; use await tensor.data() (dataSync/item/arraySync need a synchronous backend such as cpu)';

export class WebGPUBackend implements Backend {
  readonly name = 'webgpu';
  private readonly store = new Map<DataId, Entry>();
  private numBytes = 0;
  private readonly mirror: number;
  /** Storage made by the running kernel (freed if it throws). */
  private made: DataId[] | null = null;

  constructor(
    readonly runtime: GpuRuntime,
    opts: WebGPUBackendOptions = {},
  ) {
    this.mirror = opts.hostMirrorElements ?? 1024;
  }

  /** The adapter's description (e.g. "SwiftShader driver 5.0.0"). */
  get adapterName(): string {
    return this.runtime.adapterName;
  }

  write(values: TypedArray, dtype: DType): DataId {
    const { words, wide } = toWords(values, dtype);
    const buffer = this.runtime.alloc(words.byteLength);
    this.runtime.upload(buffer, words);
    const keep = wide !== undefined || values.length <= this.mirror;
    return this.add({ buffer, dtype, size: values.length, host: keep ? values.slice() : undefined, wide });
  }

  async read(dataId: DataId): Promise<TypedArray> {
    const e = this.entry(dataId);
    if (e.host) return e.host.slice();
    if (e.size === 0) return allocArray(e.dtype, 0);
    const bytes = await this.runtime.read(e.buffer, e.size * 4);
    return fromWords(bytes, e.dtype, e.size);
  }

  readSync(dataId: DataId): TypedArray {
    const e = this.entry(dataId);
    if (e.host) return e.host.slice();
    throw new Error(SYNC_READ_ERROR);
  }

  disposeData(dataId: DataId): void {
    const e = this.store.get(dataId);
    if (!e) return;
    this.store.delete(dataId);
    this.numBytes -= e.size * bytesPerElement(e.dtype);
    this.runtime.release(e.buffer);
  }

  memory(): BackendMemory {
    const p = this.runtime.poolStats();
    return {
      numBuffers: this.store.size,
      numBytes: this.numBytes,
      gpuBytes: p.allocatedBytes,
      pooledBuffers: p.pooled,
      pooledBytes: p.pooledBytes,
    };
  }

  dispose(): void {
    this.store.clear();
    this.numBytes = 0;
    this.runtime.destroy();
  }

  // ------------------------------------------------------------------ for kernels

  /** Runs a kernel body; storage it made is freed again if it throws. */
  guard<T>(body: () => T): T {
    const outer = this.made;
    const made: DataId[] = (this.made = []);
    try {
      return body();
    } catch (e) {
      for (const id of made) this.disposeData(id);
      throw e;
    } finally {
      this.made = outer;
    }
  }

  /** The GPU buffer of an input; refuses int64 storage with values outside 32 bits. */
  buffer(info: TensorInfo, op: string): GPUBuffer {
    const e = this.entry(info.dataId);
    if (e.wide !== undefined) {
      throw new RangeError(
        `${op}: int64 value ${e.wide} is outside the range the webgpu backend computes int64 in (32-bit, ±2^31)`,
      );
    }
    return e.buffer;
  }

  /** The host copy of an input's values (storage format), when the backend kept one. */
  host(info: TensorInfo): TypedArray | undefined {
    return this.entry(info.dataId).host;
  }

  /** A new output: its storage handle and its GPU buffer (contents undefined). */
  output(shape: Shape, dtype: DType): { info: TensorInfo; buffer: GPUBuffer } {
    const size = sizeOf(shape);
    const buffer = this.runtime.alloc(size * 4);
    const dataId = this.add({ buffer, dtype, size });
    this.made?.push(dataId);
    return { info: { dataId, shape, dtype }, buffer };
  }

  private add(e: Entry): DataId {
    const id = {};
    this.store.set(id, e);
    this.numBytes += e.size * bytesPerElement(e.dtype);
    return id;
  }

  private entry(dataId: DataId): Entry {
    this.runtime.check();
    const e = this.store.get(dataId);
    if (!e) throw new Error('webgpu backend: unknown or disposed storage');
    return e;
  }
}
