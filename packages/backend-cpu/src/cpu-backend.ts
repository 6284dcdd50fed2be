import type { Backend, BackendMemory, DataId, DType, TensorInfo, TypedArray } from '@mapnn/core/backend';
import { allocArray, sizeOf } from '@mapnn/core/backend';

/** Storage of a float32 or float64 tensor. */
export type FloatArray = Float32Array | Float64Array;

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

  /** The storage of a float32/float64 tensor (the float kernels' inputs), checked. */
  floats(dataId: DataId): FloatArray {
    const v = this.get(dataId);
    if (v instanceof Float32Array || v instanceof Float64Array) return v;
    throw new Error(`cpu backend: expected float32 or float64 storage, got ${v.constructor.name}`);
  }

  /** The storage of an int32 tensor (e.g. maxPool2d's window indices), checked. */
  int32s(dataId: DataId): Int32Array {
    const v = this.get(dataId);
    if (v instanceof Int32Array) return v;
    throw new Error(`cpu backend: expected int32 storage, got ${v.constructor.name}`);
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

  /** Allocates an output array for `shape` and `dtype` (zero-filled). */
  alloc(shape: readonly number[], dtype: DType): TypedArray {
    return allocArray(dtype, sizeOf(shape));
  }

  /** Allocates a zero-filled float32/float64 output (a float kernel's); throws for another dtype. */
  allocFloats(shape: readonly number[], dtype: DType): FloatArray {
    if (dtype === 'float32') return new Float32Array(sizeOf(shape));
    if (dtype === 'float64') return new Float64Array(sizeOf(shape));
    throw new Error(`cpu backend: expected a float32 or float64 output, got ${dtype}`);
  }
}
