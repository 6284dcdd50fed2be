/**
 * The GPU side of the backend: device, buffer pool, pipeline cache, command batching and
 * readback. Kernels call `dispatch`; nothing here knows about tensors.
 *
 * Batching: dispatches are recorded into one command encoder (one open compute pass) and
 * submitted together when a read needs them, when `maxBatch` dispatches are pending, or when
 * the uniform arena is full. Each dispatch's uniforms (shapes, strides, scalars) are appended to
 * a CPU-side arena, uploaded with one `writeBuffer` just before the submit and bound at a
 * 256-byte aligned offset, so a batch of N dispatches costs one uniform upload, not N.
 * Small tensor uploads are batched the same way: staged in a host arena, recorded as
 * buffer-to-buffer copies in command order, and written with one `writeBuffer` per submit
 * (one message to the GPU process in browsers instead of one per tensor).
 */
import { BufferPool, type PoolStats } from './pool.js';

const STORAGE_USAGE = 0x80 | 0x04 | 0x08; // STORAGE | COPY_SRC | COPY_DST
const UNIFORM_USAGE = 0x40 | 0x08; // UNIFORM | COPY_DST
const MAP_READ_USAGE = 0x01 | 0x08; // MAP_READ | COPY_DST
const ARENA_BYTES = 1 << 16;
const UPLOAD_ARENA_BYTES = 1 << 18;
/** Uploads up to this size go through the upload arena; larger ones are written directly. */
const SMALL_UPLOAD = 1 << 14;

/**
 * Errors kernels can only detect on the GPU (an out-of-range index, an int64 overflow). A
 * kernel sets its bit in a device-wide error word with `atomicOr(&err[0], bit)`; the next read
 * copies and clears the word and throws a RangeError naming what happened.
 */
export const GPU_ERRORS: Record<string, { bit: number; message: string }> = {
  gather: { bit: 1, message: 'gather: an index was out of range (it read 0)' },
  indexSelect: { bit: 2, message: 'indexSelect: an index was out of range (it read 0)' },
  scatter: { bit: 4, message: 'scatter: an index was out of range (it was ignored)' },
  scatterAdd: { bit: 8, message: 'scatterAdd: an index was out of range (it was ignored)' },
  castInt64: { bit: 16, message: "cast to int64: a value was NaN or outside the 32-bit range the webgpu backend computes int64 in (it saturated)" },
};

export interface RuntimeOptions {
  /** Dispatches recorded before an automatic submit (default 64). */
  maxBatch?: number;
  /** Bytes kept in the buffer pool (default 256 MiB). */
  maxPooledBytes?: number;
}

/** One compute dispatch. */
export interface Dispatch {
  /** WGSL source; also the pipeline cache key (it encodes op, dtypes, rank and tile shape). */
  code: string;
  /** Storage buffers in binding order from 1 (binding 0 is the uniform block). */
  buffers: GPUBuffer[];
  /** Uniform block (32-bit words); omitted when the shader declares none. */
  uniforms?: Uint32Array;
  /** Workgroup counts. */
  groups: [number, number, number];
  /** Binds the error word after `buffers` (the shader declares it with `errorDecl`). */
  errors?: boolean;
}

export class GpuRuntime {
  readonly pool: BufferPool<GPUBuffer>;
  readonly limits: GPUSupportedLimits;
  private readonly pipelines = new Map<string, { pipeline: GPUComputePipeline; layout: GPUBindGroupLayout }>();
  private encoder: GPUCommandEncoder | null = null;
  private pass: GPUComputePassEncoder | null = null;
  private pending = 0;
  private readonly arena: GPUBuffer;
  private readonly arenaHost = new Uint8Array(ARENA_BYTES);
  private arenaUsed = 0;
  private readonly uploads: GPUBuffer;
  private readonly uploadsHost = new Uint8Array(UPLOAD_ARENA_BYTES);
  private uploadsUsed = 0;
  private readonly maxBatch: number;
  private readonly errorWord: GPUBuffer;
  private errorsArmed = false;
  private lostInfo: GPUDeviceLostInfo | null = null;
  private errors: string[] = [];
  private destroyed = false;
  /** Counters for tests and the bench. */
  readonly counters = { dispatches: 0, submits: 0, pipelines: 0, reads: 0, batchedUploads: 0 };

  constructor(
    readonly device: GPUDevice,
    readonly adapterName: string,
    opts: RuntimeOptions = {},
  ) {
    this.limits = device.limits;
    this.maxBatch = opts.maxBatch ?? 64;
    this.pool = new BufferPool<GPUBuffer>({
      create: (size) => device.createBuffer({ size, usage: STORAGE_USAGE }),
      destroy: (b) => b.destroy(),
      maxPooledBytes: opts.maxPooledBytes,
    });
    this.arena = device.createBuffer({ size: ARENA_BYTES, usage: UNIFORM_USAGE });
    this.errorWord = device.createBuffer({ size: 16, usage: STORAGE_USAGE });
    this.uploads = device.createBuffer({ size: UPLOAD_ARENA_BYTES, usage: STORAGE_USAGE });
    void device.lost.then((info) => {
      this.lostInfo = info;
    });
    device.onuncapturederror = (ev: GPUUncapturedErrorEvent) => {
      if (this.errors.length < 8) this.errors.push(ev.error.message);
    };
  }

  /** Throws if the device was lost or destroyed (with the reason). */
  check(): void {
    if (this.lostInfo && !this.destroyed) {
      throw new Error(
        `WebGPU device lost (${this.lostInfo.reason}): ${this.lostInfo.message || 'no message'}. ` +
          `Tensors of the 'webgpu' backend are gone; call removeBackend('webgpu') and setBackendAsync('webgpu') to start again.`,
      );
    }
    if (this.destroyed) throw new Error("the 'webgpu' backend was disposed");
  }

  /** Throws the validation/out-of-memory errors reported since the last call, if any. */
  throwErrors(): void {
    if (!this.errors.length) return;
    const msg = this.errors.join('\n');
    this.errors = [];
    throw new Error(`WebGPU error: ${msg}`);
  }

  /** A storage buffer of at least `bytes` from the pool. */
  alloc(bytes: number): GPUBuffer {
    this.check();
    return this.pool.acquire(Math.max(bytes, 4));
  }

  release(buffer: GPUBuffer): void {
    if (this.destroyed) return;
    this.pool.release(buffer);
    if (!this.encoder) this.pool.recycle(); // nothing recorded can still read it
  }

  /**
   * Uploads `data` to the start of `buffer`, which must be fresh from `alloc` (no recorded
   * command uses it). Small uploads are staged and copied in command order (batched).
   */
  upload(buffer: GPUBuffer, data: ArrayBufferView): void {
    this.check();
    const n = data.byteLength;
    if (n === 0) return;
    if (n > SMALL_UPLOAD) {
      this.device.queue.writeBuffer(buffer, 0, data.buffer, data.byteOffset, n);
      return;
    }
    const padded = Math.ceil(n / 4) * 4;
    if (this.uploadsUsed + padded > UPLOAD_ARENA_BYTES) this.flush();
    const at = this.uploadsUsed;
    this.uploadsHost.set(new Uint8Array(data.buffer, data.byteOffset, n), at);
    this.uploadsUsed += padded;
    this.endPass();
    this.commandEncoder().copyBufferToBuffer(this.uploads, at, buffer, 0, padded);
    this.counters.batchedUploads++;
  }

  /** The cached pipeline (and its bind group layout) of a shader. */
  pipeline(code: string): { pipeline: GPUComputePipeline; layout: GPUBindGroupLayout } {
    let p = this.pipelines.get(code);
    if (!p) {
      const module = this.device.createShaderModule({ code });
      const pipeline = this.device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
      p = { pipeline, layout: pipeline.getBindGroupLayout(0) };
      this.pipelines.set(code, p);
      this.counters.pipelines++;
    }
    return p;
  }

  /** Records one dispatch into the current batch. */
  dispatch(d: Dispatch): void {
    this.check();
    const [gx, gy, gz] = d.groups;
    if (gx * gy * gz === 0) return;
    const ubytes = d.uniforms ? Math.max(16, d.uniforms.byteLength) : 0;
    if (this.arenaUsed + ubytes > ARENA_BYTES) this.flush();
    const { pipeline, layout } = this.pipeline(d.code);
    const entries: GPUBindGroupEntry[] = d.buffers.map((buffer, i) => ({ binding: i + 1, resource: { buffer } }));
    if (d.errors) {
      entries.push({ binding: d.buffers.length + 1, resource: { buffer: this.errorWord } });
      this.errorsArmed = true;
    }
    if (d.uniforms) {
      const offset = this.arenaUsed;
      this.arenaHost.set(new Uint8Array(d.uniforms.buffer, d.uniforms.byteOffset, d.uniforms.byteLength), offset);
      this.arenaUsed += Math.ceil(ubytes / 256) * 256;
      entries.push({ binding: 0, resource: { buffer: this.arena, offset, size: ubytes } });
    }
    const bindGroup = this.device.createBindGroup({ layout, entries });
    const pass = this.computePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(gx, gy, gz);
    this.counters.dispatches++;
    if (++this.pending >= this.maxBatch) this.flush();
  }

  /** Copies `bytes` from `src` to `dst` (both at offset 0) in command order. */
  copy(src: GPUBuffer, dst: GPUBuffer, bytes: number): void {
    this.check();
    if (bytes === 0) return;
    this.endPass();
    this.commandEncoder().copyBufferToBuffer(src, 0, dst, 0, Math.ceil(bytes / 4) * 4);
    this.pending++;
  }

  /** Submits everything recorded so far. */
  flush(): void {
    if (!this.encoder) return;
    this.endPass();
    if (this.arenaUsed) this.device.queue.writeBuffer(this.arena, 0, this.arenaHost.buffer, 0, this.arenaUsed);
    if (this.uploadsUsed) this.device.queue.writeBuffer(this.uploads, 0, this.uploadsHost.buffer, 0, this.uploadsUsed);
    this.device.queue.submit([this.encoder.finish()]);
    this.encoder = null;
    this.pending = 0;
    this.arenaUsed = 0;
    this.uploadsUsed = 0;
    this.counters.submits++;
    this.pool.recycle();
  }

  /**
   * Reads `bytes` from the start of `buffer` (after all recorded work). Throws the errors
   * kernels flagged on the GPU since the last read (see GPU_ERRORS), clearing them.
   */
  async read(buffer: GPUBuffer, bytes: number): Promise<ArrayBuffer> {
    this.check();
    const size = Math.max(4, Math.ceil(bytes / 4) * 4);
    const withErrors = this.errorsArmed;
    const staging = this.device.createBuffer({ size: size + (withErrors ? 4 : 0), usage: MAP_READ_USAGE });
    try {
      this.endPass();
      const enc = this.commandEncoder();
      enc.copyBufferToBuffer(buffer, 0, staging, 0, size);
      if (withErrors) {
        enc.copyBufferToBuffer(this.errorWord, 0, staging, size, 4);
        enc.clearBuffer(this.errorWord);
        this.errorsArmed = false;
      }
      this.flush();
      this.counters.reads++;
      try {
        await staging.mapAsync(1 /* GPUMapMode.READ */);
      } catch (e) {
        this.check();
        this.throwErrors();
        throw e;
      }
      this.throwErrors();
      const mapped = staging.getMappedRange();
      const out = mapped.slice(0, size);
      const flags = withErrors ? new Uint32Array(mapped, size, 1)[0]! : 0;
      staging.unmap();
      if (flags) {
        const what = Object.values(GPU_ERRORS).filter((e) => flags & e.bit).map((e) => e.message);
        throw new RangeError(`${what.join('; ')} — detected on the GPU by a kernel recorded before this read`);
      }
      return out;
    } finally {
      staging.destroy();
    }
  }

  /** Resolves when the GPU has finished all submitted work. */
  async sync(): Promise<void> {
    this.flush();
    await this.device.queue.onSubmittedWorkDone();
    this.throwErrors();
  }

  poolStats(): PoolStats {
    return this.pool.stats();
  }

  destroy(): void {
    if (this.destroyed) return;
    this.flush();
    this.destroyed = true;
    this.pool.clear();
    this.arena.destroy();
    this.errorWord.destroy();
    this.uploads.destroy();
    this.pipelines.clear();
    this.device.destroy();
  }

  private commandEncoder(): GPUCommandEncoder {
    return (this.encoder ??= this.device.createCommandEncoder());
  }

  private computePass(): GPUComputePassEncoder {
    return (this.pass ??= this.commandEncoder().beginComputePass());
  }

  private endPass(): void {
    if (this.pass) {
      this.pass.end();
      this.pass = null;
    }
  }
}
