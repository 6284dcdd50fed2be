import type { Backend, BackendMemory, DataId, DType, TensorInfo, TypedArray } from '@mapnn/core';
import { allocArray, sizeOf } from '@mapnn/core';

/** Storage of the CPU backend: a typed array per tensor (float16 as raw bits). */
export class CpuBackend implements Backend {
  readonly name = 'cpu';
  private readonly store = new WeakMap<DataId, TypedArray>();
  private numBuffers = 0;
  private numBytes = 0;

  write(values: TypedArray, _dtype: DType): DataId {
    const id = {};
    this.store.set(id, values.slice());
    this.numBuffers++;
    this.numBytes += values.byteLength;
    return id;
  }

  /** Registers `values` as storage without copying (kernels use it for their outputs). */
  adopt(values: TypedArray): DataId {
    const id = {};
    this.store.set(id, values);
    this.numBuffers++;
    this.numBytes += values.byteLength;
    return id;
  }

  /** The typed array behind `dataId`, for kernels (no copy). */
  get(dataId: DataId): TypedArray {
    const v = this.store.get(dataId);
    if (!v) throw new Error('cpu backend: unknown or disposed storage');
    return v;
  }

  async read(dataId: DataId): Promise<TypedArray> {
    return this.get(dataId).slice();
  }

  readSync(dataId: DataId): TypedArray {
    return this.get(dataId).slice();
  }

  disposeData(dataId: DataId): void {
    const v = this.store.get(dataId);
    if (!v) return;
    this.store.delete(dataId);
    this.numBuffers--;
    this.numBytes -= v.byteLength;
  }

  memory(): BackendMemory {
    return { numBuffers: this.numBuffers, numBytes: this.numBytes };
  }

  /** Wraps a fresh output array as a kernel result. */
  output(values: TypedArray, shape: readonly number[], dtype: DType): TensorInfo {
    return { dataId: this.adopt(values), shape, dtype };
  }

  /** Allocates an output array for `shape` and `dtype`. */
  alloc(shape: readonly number[], dtype: DType): TypedArray {
    return allocArray(dtype, sizeOf(shape));
  }
}
