/**
 * The heap allocator of the wasm linear memory: a caching allocator over a coalescing free list.
 *
 * - Sizes are rounded to classes (64-byte steps up to 256 bytes, then four classes per power of
 *   two, so at most 25 % is wasted); blocks are 64-byte aligned (cache lines, SIMD).
 * - A freed block goes to its class's cache and is handed out again for the same class without
 *   splitting or merging, so a training loop that repeats its allocations reaches a fixed
 *   footprint after its first steps.
 * - Below the caches, a general heap: best fit over an address-ordered free list, blocks split
 *   on allocation and coalesced on release, the free tail returned to the top.
 * - Before the heap would outgrow the memory's capacity, the caches are flushed into the general
 *   heap (coalescing) and the allocation retried; only then is the memory grown (`ensure`).
 *
 * Only the main thread allocates.
 */
export interface AllocatorStats {
  /** Bytes in live blocks (rounded to their class). */
  usedBytes: number;
  liveBlocks: number;
  /** Bytes held in the per-class caches for reuse. */
  cachedBytes: number;
  cachedBlocks: number;
  /** Bytes in free blocks of the general heap below the top. */
  freeBytes: number;
  freeBlocks: number;
  /** End of the highest block: the heap's footprint is `top − base`. */
  top: number;
  /** Highest `top` so far (the high-water mark). */
  peak: number;
  base: number;
}

const ALIGN = 64;

/** The class (rounded size) of an allocation of `bytes`. */
export function sizeClass(bytes: number): number {
  if (bytes <= 256) return Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
  const step = 2 ** Math.floor(Math.log2(bytes)) / 4;
  return Math.ceil(bytes / step) * step;
}

export class Allocator {
  readonly base: number;
  private top: number;
  private peak: number;
  private readonly live = new Map<number, number>(); // ptr → class size
  private readonly cache = new Map<number, number[]>(); // class size → free blocks
  private cached = 0;
  private cachedCount = 0;
  private freeOff: number[] = [];
  private freeSize: number[] = [];
  private used = 0;

  /**
   * @param base first usable byte (aligned up; must be > 0: pointer 0 means "no block")
   * @param capacity bytes of memory that exist now
   * @param ensure grows the memory so that `end` bytes exist, or throws
   */
  constructor(
    base: number,
    private readonly capacity: () => number,
    private readonly ensure: (end: number) => void,
  ) {
    this.base = Math.ceil(base / ALIGN) * ALIGN;
    this.top = this.base;
    this.peak = this.base;
  }

  /** Allocates `bytes` (0 gives the null pointer 0, which `free` ignores). */
  alloc(bytes: number): number {
    if (bytes <= 0) return 0;
    const size = sizeClass(bytes);
    const list = this.cache.get(size);
    let ptr = list?.pop();
    if (ptr !== undefined) {
      this.cached -= size;
      this.cachedCount--;
    } else {
      ptr = this.fromHeap(size);
      if (ptr < 0 && this.cachedCount > 0) {
        this.flush();
        ptr = this.fromHeap(size);
      }
      if (ptr < 0) ptr = this.bump(size, true);
    }
    this.live.set(ptr, size);
    this.used += size;
    return ptr;
  }

  /** Best fit in the general heap, or at the top within capacity; −1 if neither. */
  private fromHeap(size: number): number {
    let best = -1;
    let bestSize = Infinity;
    const sizes = this.freeSize;
    for (let i = 0; i < sizes.length; i++) {
      const s = sizes[i]!;
      if (s >= size && s < bestSize) {
        best = i;
        bestSize = s;
        if (s === size) break;
      }
    }
    if (best < 0) return this.top + size <= this.capacity() ? this.bump(size, false) : -1;
    const ptr = this.freeOff[best]!;
    if (bestSize > size) {
      this.freeOff[best] = ptr + size;
      this.freeSize[best] = bestSize - size;
    } else {
      this.freeOff.splice(best, 1);
      this.freeSize.splice(best, 1);
    }
    return ptr;
  }

  private bump(size: number, grow: boolean): number {
    const ptr = this.top;
    if (grow) this.ensure(ptr + size);
    this.top = ptr + size;
    if (this.top > this.peak) this.peak = this.top;
    return ptr;
  }

  /** Returns a block to its class's cache. Freeing 0 does nothing. */
  free(ptr: number): void {
    if (ptr === 0) return;
    const size = this.live.get(ptr);
    if (size === undefined) throw new Error(`wasm allocator: free of unknown block ${ptr}`);
    this.live.delete(ptr);
    this.used -= size;
    let list = this.cache.get(size);
    if (!list) this.cache.set(size, (list = []));
    list.push(ptr);
    this.cached += size;
    this.cachedCount++;
  }

  /** Moves every cached block into the general heap, coalescing neighbours. */
  flush(): void {
    for (const [size, list] of this.cache) for (const ptr of list) this.release(ptr, size);
    this.cache.clear();
    this.cached = 0;
    this.cachedCount = 0;
  }

  private release(ptr: number, size: number): void {
    let off = ptr;
    let len = size;
    let lo = 0;
    let hi = this.freeOff.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.freeOff[mid]! < off) lo = mid + 1;
      else hi = mid;
    }
    let i = lo;
    if (i > 0 && this.freeOff[i - 1]! + this.freeSize[i - 1]! === off) {
      i--;
      off = this.freeOff[i]!;
      len += this.freeSize[i]!;
      this.freeOff.splice(i, 1);
      this.freeSize.splice(i, 1);
    }
    if (i < this.freeOff.length && off + len === this.freeOff[i]) {
      len += this.freeSize[i]!;
      this.freeOff.splice(i, 1);
      this.freeSize.splice(i, 1);
    }
    if (off + len === this.top) {
      this.top = off; // the free tail goes back to the top
      return;
    }
    this.freeOff.splice(i, 0, off);
    this.freeSize.splice(i, 0, len);
  }

  /** Class size of a live block, or undefined. */
  sizeOf(ptr: number): number | undefined {
    return this.live.get(ptr);
  }

  stats(): AllocatorStats {
    let freeBytes = 0;
    for (const s of this.freeSize) freeBytes += s;
    return {
      usedBytes: this.used,
      liveBlocks: this.live.size,
      cachedBytes: this.cached,
      cachedBlocks: this.cachedCount,
      freeBytes,
      freeBlocks: this.freeSize.length,
      top: this.top,
      peak: this.peak,
      base: this.base,
    };
  }
}
