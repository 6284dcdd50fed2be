import {
  arrayTypeFor, sizeOf, type Backend, type BackendMemory, type DataId, type DType, type TensorInfo, type TypedArray,
} from '@mapnn/core/backend';
import { Allocator } from './allocator.js';
import { defaultWorkerUrl, wasmConfig } from './config.js';
import { ELEMENT_BYTES } from './dtype-codes.js';
import { ARG_SLOTS, memoryLayout, type MemoryLayout } from './memory-layout.js';
import { KERNEL_NAMES, type Kernel, type KernelExports, type KernelName } from './kernel-exports.js';
import { ThreadPool } from './thread-pool.js';
import { coreCount, threadsSupported } from './worker-spawn.js';
import { createMemory, instantiate, kernelModule } from './wasm-module.js';
import { relaxedSimdSupported } from './wasm-binary.js';
import type { WasmMemory } from './wasm-types.js';

export { KERNEL_NAMES, type KernelName } from './kernel-exports.js';

/** Storage of one tensor: a block of the linear memory. */
export class WasmData {
  disposed = false;
  constructor(
    readonly ptr: number,
    readonly bytes: number,
    readonly dtype: DType,
    readonly size: number,
  ) {}
}

export interface WasmBackendOptions {
  /** Threads including the main one (default: setWasmThreads value, else the core count). */
  threads?: number;
  /** Worker script URL (default: setWasmWorkerUrl value, else worker.js beside the bundle). */
  workerUrl?: URL | string;
  /** Initial linear memory (default 16 MiB). */
  initialMemoryBytes?: number;
  /** Growth limit of the linear memory (default 4 GiB). */
  maximumMemoryBytes?: number;
  /** Work below which a kernel runs on one thread (default 131072). */
  parallelThreshold?: number;
  /**
   * Use a shared memory (default: whenever threads are possible). `false` forces a private,
   * single-threaded memory, as in a browser page that is not cross-origin isolated.
   */
  sharedMemory?: boolean;
  /**
   * Use the relaxed-SIMD build (default: whenever the engine validates relaxed SIMD), whose int8
   * GEMM runs `relaxed_dot_i8x16_i7x16_add_s` for weights within [-64, 63] (bit-identical
   * results). `false` forces the SIMD128 build; `true` where the engine lacks it throws.
   */
  relaxedSimd?: boolean;
}

const MiB = 1024 * 1024;
/** Most dims a strided plan may have (MAX_RANK in assembly/common.ts). */
const MAX_PLAN_RANK = 16;

/**
 * The WebAssembly backend: tensors live in one linear memory (shared between the threads when
 * SharedArrayBuffer is available), managed by a coalescing free-list allocator; kernels are
 * the AssemblyScript exports (SIMD128), run on the calling thread or split across the pool.
 */
export class WasmBackend implements Backend {
  readonly name = 'wasm';
  readonly layout: MemoryLayout;
  private readonly heap: Allocator;
  private readonly kernels: Kernel[];
  private readonly kernelIndex = new Map<string, number>();
  private argF64!: Float64Array;
  private argI32!: Int32Array;
  private u8!: Uint8Array;
  private intTop: number;
  private temps: number[] = [];
  private numBuffers = 0;
  private numBytes = 0;
  private threads = 1;
  private threshold: number;
  private gemmScratch = 0;
  private gemmScratchThreads = 0;
  private warned = false;

  private constructor(
    readonly wasmMemory: WasmMemory,
    private readonly exports: KernelExports,
    readonly shared: boolean,
    /** Whether the relaxed-SIMD build runs (the int8 GEMM's relaxed dot path; see WasmBackendOptions). */
    readonly relaxedSimd: boolean,
    readonly pool: ThreadPool | null,
    opts: WasmBackendOptions,
  ) {
    this.layout = memoryLayout(exports.heapBase());
    exports.init(this.layout.state);
    this.kernels = KERNEL_NAMES.map((n, i) => {
      this.kernelIndex.set(n, i);
      return exports[n];
    });
    this.intTop = this.layout.argInts;
    this.heap = new Allocator(this.layout.heap, () => this.wasmMemory.buffer.byteLength, (end) => this.ensure(end));
    this.threshold = opts.parallelThreshold ?? wasmConfig.parallelThreshold ?? 131072;
    this.refreshViews();
  }

  /** Compiles and instantiates the kernels and starts the worker pool. */
  static async create(opts: WasmBackendOptions = {}): Promise<WasmBackend> {
    const shared = threadsSupported() && opts.sharedMemory !== false;
    const relaxed = relaxedSimdSupported();
    if (opts.relaxedSimd === true && !relaxed) {
      throw new Error('WasmBackend.create: relaxedSimd: true, but this engine does not validate relaxed SIMD (Node 20: run with --experimental-wasm-relaxed-simd)');
    }
    const relaxedSimd = relaxed && opts.relaxedSimd !== false;
    const module = await kernelModule(shared, relaxedSimd);
    const memory = createMemory(shared, opts.initialMemoryBytes ?? 16 * MiB, opts.maximumMemoryBytes ?? 4096 * MiB);
    const exports = await instantiate(module, memory);
    let pool: ThreadPool | null = null;
    if (shared) {
      const layout = memoryLayout(exports.heapBase());
      pool = new ThreadPool({
        module,
        memory,
        kernels: [...KERNEL_NAMES],
        mainKernels: KERNEL_NAMES.map((n) => exports[n]),
        control: layout.control,
        state: layout.state,
        workerUrl: opts.workerUrl ?? wasmConfig.workerUrl ?? defaultWorkerUrl(),
      });
    }
    if (pool && wasmConfig.spinWait !== undefined) pool.spinWait = wasmConfig.spinWait;
    const be = new WasmBackend(memory, exports, shared, relaxedSimd, pool, opts);
    await be.setThreads(opts.threads ?? wasmConfig.threads ?? (await coreCount()));
    return be;
  }

  // ------------------------------------------------------------ threads

  /** Threads used by parallel kernels (main included). */
  get threadCount(): number {
    return this.pool ? Math.min(this.threads, this.pool.size) : 1;
  }

  /** Sets the thread count, starting workers as needed (without shared memory: always 1). */
  async setThreads(n: number): Promise<void> {
    this.threads = Math.max(1, Math.floor(n));
    if (!this.pool || this.threads <= 1) return;
    await this.pool.grow(this.threads);
    if (this.pool.size < this.threads && this.pool.errors.length && !this.warned) {
      this.warned = true;
      console.warn(`@mapnn/backend-wasm: running with ${this.pool.size} of ${this.threads} threads (${this.pool.errors[0]})`);
    }
  }

  setParallelThreshold(work: number): void {
    this.threshold = Math.max(0, work);
  }

  /** How long (ms) idle workers spin before sleeping. */
  setSpinWait(ms: number): void {
    if (this.pool) this.pool.spinWait = ms;
  }

  /** Threads for a kernel doing about `work` element operations. */
  threadsFor(work: number): number {
    const t = this.threadCount;
    if (t <= 1 || work < this.threshold) return 1;
    return Math.max(1, Math.min(t, Math.floor(work / Math.max(1, this.threshold / 4))));
  }

  // ------------------------------------------------------------ memory

  private refreshViews(): void {
    const buf = this.wasmMemory.buffer;
    this.u8 = new Uint8Array(buf);
    this.argF64 = new Float64Array(buf, this.layout.args, ARG_SLOTS);
    this.argI32 = new Int32Array(buf, this.layout.argInts, (this.layout.argIntsEnd - this.layout.argInts) >> 2);
  }

  /** Grows the memory so that `end` bytes exist. */
  private ensure(end: number): void {
    const have = this.wasmMemory.buffer.byteLength;
    if (end <= have) return;
    const page = 65536;
    const need = Math.ceil((end - have) / page);
    const extra = Math.max(need, Math.ceil(have / page / 4), 256);
    try {
      this.wasmMemory.grow(extra);
    } catch {
      try {
        this.wasmMemory.grow(need);
      } catch {
        throw new RangeError(
          `wasm backend: out of memory growing the heap to ${(end / MiB).toFixed(1)} MiB ` +
            `(${this.numBuffers} live buffers, ${(this.numBytes / MiB).toFixed(1)} MiB in tensors)`,
        );
      }
    }
    this.refreshViews();
  }

  /** Allocates raw bytes in the heap (for packing scratch and the like). */
  allocBytes(bytes: number): number {
    return this.heap.alloc(bytes);
  }

  freeBytes(ptr: number): void {
    this.heap.free(ptr);
  }

  write(values: TypedArray, dtype: DType): DataId {
    const d = this.allocData(values.length, dtype);
    if (d.bytes) this.u8.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), d.ptr);
    return d;
  }

  /** A new, uninitialised tensor storage of `size` elements. */
  allocData(size: number, dtype: DType): WasmData {
    const bytes = size * ELEMENT_BYTES[dtype];
    const ptr = this.heap.alloc(bytes);
    this.numBuffers++;
    this.numBytes += bytes;
    return new WasmData(ptr, bytes, dtype, size);
  }

  /** The storage behind a tensor (throws if disposed). */
  data(dataId: DataId): WasmData {
    if (!(dataId instanceof WasmData) || dataId.disposed) throw new Error('wasm backend: unknown or disposed storage');
    return dataId;
  }

  /** Pointer of a tensor's storage. */
  ptr(info: TensorInfo): number {
    return this.data(info.dataId).ptr;
  }

  /** A typed-array view (no copy) of a tensor's storage; valid until the memory grows. */
  view(info: TensorInfo): TypedArray {
    const d = this.data(info.dataId);
    const Ctor = arrayTypeFor(d.dtype);
    return new Ctor(this.wasmMemory.buffer, d.ptr, d.size);
  }

  async read(dataId: DataId): Promise<TypedArray> {
    return this.readSync(dataId);
  }

  readSync(dataId: DataId): TypedArray {
    const d = this.data(dataId);
    const Ctor = arrayTypeFor(d.dtype);
    if (d.size === 0) return new Ctor(0);
    return new Ctor(this.wasmMemory.buffer, d.ptr, d.size).slice();
  }

  disposeData(dataId: DataId): void {
    if (!(dataId instanceof WasmData) || dataId.disposed) return;
    dataId.disposed = true;
    this.heap.free(dataId.ptr);
    this.numBuffers--;
    this.numBytes -= dataId.bytes;
  }

  memory(): BackendMemory {
    const s = this.heap.stats();
    return {
      numBuffers: this.numBuffers,
      numBytes: this.numBytes,
      /** Size of the linear memory. */
      wasmMemoryBytes: this.wasmMemory.buffer.byteLength,
      /** Heap footprint (top of the highest block above the heap base). */
      heapBytes: s.top - s.base,
      /** High-water mark of the heap footprint. */
      heapPeakBytes: s.peak - s.base,
      heapUsedBytes: s.usedBytes,
      /** Freed blocks kept per size class for reuse. */
      heapCachedBytes: s.cachedBytes,
      heapFreeBytes: s.freeBytes,
      heapFreeBlocks: s.freeBlocks,
      threads: this.threadCount,
      sharedMemory: this.shared,
      /** Whether the relaxed-SIMD build runs (int8 GEMM on relaxed_dot_i8x16_i7x16_add_s). */
      relaxedSimd: this.relaxedSimd,
    };
  }

  dispose(): void {
    this.pool?.dispose();
  }

  // ------------------------------------------------------------ kernel calls

  /** Allocates output storage for `shape` (contents undefined: kernels write every element). */
  alloc(shape: readonly number[], dtype: DType): WasmData {
    return this.allocData(sizeOf(shape), dtype);
  }

  output(d: WasmData, shape: readonly number[], dtype: DType): TensorInfo {
    return { dataId: d, shape, dtype };
  }

  /** Copies int values into the argument area (or a temporary heap block) and returns their address. */
  ints(values: ArrayLike<number>): number {
    const n = values.length;
    const room = (this.layout.argIntsEnd - this.intTop) >> 2;
    if (n <= room) {
      const at = this.intTop;
      this.argI32.set(values, (at - this.layout.argInts) >> 2);
      this.intTop += n * 4;
      return at;
    }
    const ptr = this.heap.alloc(n * 4);
    this.temps.push(ptr);
    new Int32Array(this.wasmMemory.buffer, ptr, n).set(values);
    return ptr;
  }

  /** Writes a strided-iteration plan (see assembly/common.ts) and returns its address. */
  plan(dims: readonly number[], strides: readonly (readonly number[])[]): number {
    const R = dims.length;
    if (R > MAX_PLAN_RANK) throw new Error(`wasm backend: ${R} dims after merging exceed the kernels' limit of ${MAX_PLAN_RANK}`);
    const v = new Array<number>(1 + R * (1 + strides.length));
    v[0] = R;
    for (let d = 0; d < R; d++) v[1 + d] = dims[d]!;
    strides.forEach((s, k) => {
      for (let d = 0; d < R; d++) v[1 + R + k * R + d] = s[d]!;
    });
    return this.ints(v);
  }

  /**
   * Runs kernel `name` with argument slots `args`, on as many threads as `work` (≈ element
   * operations) warrants; returns the argument slots (kernels may write results there).
   */
  run(name: KernelName, args: readonly number[], work = 0, maxThreads = Infinity): Float64Array {
    const k = this.kernelIndex.get(name)!;
    const a = this.argF64;
    for (let i = 0; i < args.length; i++) a[i] = args[i]!;
    try {
      const nt = Math.min(maxThreads, this.threadsFor(work));
      if (nt > 1 && this.pool) this.pool.run(k, this.layout.args, nt);
      else this.kernels[k]!(this.layout.args, 0, 1);
    } finally {
      this.intTop = this.layout.argInts;
      if (this.temps.length) {
        for (const p of this.temps) this.heap.free(p);
        this.temps = [];
      }
    }
    return a;
  }

  /** Packing scratch for matmul (per thread), allocated once for the pool's size. */
  gemmScratchFor(threads: number): { base: number; stride: number } {
    const stride = Math.ceil(this.exports.gemmScratchBytes() / 64) * 64;
    const want = Math.max(threads, this.threadCount);
    if (this.gemmScratchThreads < want) {
      if (this.gemmScratch) this.heap.free(this.gemmScratch);
      this.gemmScratch = this.heap.alloc(stride * want);
      this.gemmScratchThreads = want;
    }
    return { base: this.gemmScratch, stride };
  }

  /** Copies `bytes` bytes inside the memory. */
  copyBytes(from: number, to: number, bytes: number): void {
    if (bytes > 0) this.u8.copyWithin(to, from, from + bytes);
  }

  /** Fills `bytes` bytes with zero. */
  zeroBytes(at: number, bytes: number): void {
    if (bytes > 0) this.u8.fill(0, at, at + bytes);
  }
}
