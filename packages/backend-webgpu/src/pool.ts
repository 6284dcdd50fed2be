/**
 * A pool of GPU buffers reused by size class.
 *
 * Sizes are rounded up to a class (at least `minBytes`; then four classes per power of two:
 * 1, 1.25, 1.5, 1.75 × 2ᵏ, so at most 25 % is wasted). A released buffer is not reusable at
 * once: commands encoded but not yet submitted may still read it, and `queue.writeBuffer` into
 * it would run before them. So `release` parks it until `recycle()`, which the backend calls
 * right after each submit; from then on queue order makes reuse safe.
 *
 * Generic over the buffer type (anything with a `size`) so it is unit-testable without a GPU.
 */
export interface PoolStats {
  /** Buffers handed out and not released. */
  inUse: number;
  /** Buffers waiting in the pool (free or parked until the next submit). */
  pooled: number;
  pooledBytes: number;
  /** Bytes of every buffer the pool owns (in use + pooled). */
  allocatedBytes: number;
  /** acquire() calls served from the pool / by a new buffer. */
  hits: number;
  misses: number;
}

export interface PoolOptions<B> {
  create(bytes: number): B;
  destroy(buffer: B): void;
  /** Smallest class (default 256 bytes). */
  minBytes?: number;
  /** Pooled bytes above this are destroyed instead of kept (default 256 MiB). */
  maxPooledBytes?: number;
}

/** The size class of a request of `bytes`. */
export function sizeClass(bytes: number, minBytes = 256): number {
  if (bytes <= minBytes) return minBytes;
  const p = 2 ** Math.floor(Math.log2(bytes));
  for (const f of [1, 1.25, 1.5, 1.75, 2]) {
    const c = p * f;
    if (c >= bytes) return c;
  }
  return 2 * p;
}

export class BufferPool<B extends { readonly size: number }> {
  private readonly free = new Map<number, B[]>();
  private parked: B[] = [];
  private readonly minBytes: number;
  private readonly maxPooledBytes: number;
  private stat = { inUse: 0, pooled: 0, pooledBytes: 0, allocatedBytes: 0, hits: 0, misses: 0 };

  constructor(private readonly opts: PoolOptions<B>) {
    this.minBytes = opts.minBytes ?? 256;
    this.maxPooledBytes = opts.maxPooledBytes ?? 256 * 2 ** 20;
  }

  /** A buffer of at least `bytes` (exactly its size class). */
  acquire(bytes: number): B {
    const size = sizeClass(bytes, this.minBytes);
    const list = this.free.get(size);
    const reused = list?.pop();
    this.stat.inUse++;
    if (reused) {
      this.stat.hits++;
      this.stat.pooled--;
      this.stat.pooledBytes -= size;
      return reused;
    }
    this.stat.misses++;
    this.stat.allocatedBytes += size;
    return this.opts.create(size);
  }

  /** Returns a buffer; it becomes reusable at the next `recycle()`. */
  release(buffer: B): void {
    this.stat.inUse--;
    this.parked.push(buffer);
    this.stat.pooled++;
    this.stat.pooledBytes += buffer.size;
  }

  /** Makes parked buffers reusable (call after a submit); trims the pool to its byte limit. */
  recycle(): void {
    for (const b of this.parked) {
      let list = this.free.get(b.size);
      if (!list) this.free.set(b.size, (list = []));
      list.push(b);
    }
    this.parked = [];
    if (this.stat.pooledBytes <= this.maxPooledBytes) return;
    // largest classes first: they free the most for the fewest destroys
    for (const size of [...this.free.keys()].sort((a, b) => b - a)) {
      const list = this.free.get(size)!;
      while (list.length && this.stat.pooledBytes > this.maxPooledBytes) this.drop(list.pop()!);
      if (this.stat.pooledBytes <= this.maxPooledBytes) break;
    }
  }

  /** Destroys every pooled buffer (free and parked). */
  clear(): void {
    for (const list of this.free.values()) for (const b of list) this.drop(b);
    this.free.clear();
    for (const b of this.parked) this.drop(b);
    this.parked = [];
  }

  stats(): PoolStats {
    return { ...this.stat };
  }

  private drop(b: B): void {
    this.stat.pooled--;
    this.stat.pooledBytes -= b.size;
    this.stat.allocatedBytes -= b.size;
    this.opts.destroy(b);
  }
}
