import { describe, expect, it } from 'vitest';
import { Allocator, sizeClass } from './allocator.js';

/** An allocator over a fake memory of `capacity` bytes that records growth requests. */
function heap(base = 1000, capacity = 1 << 20) {
  const grows: number[] = [];
  let cap = capacity;
  const a = new Allocator(base, () => cap, (end) => {
    grows.push(end);
    cap = Math.max(cap, end);
  });
  return { a, grows };
}

describe('Allocator', () => {
  it('rounds sizes to classes: 64-byte steps to 256, then quarters of a power of two', () => {
    expect([1, 64, 65, 200, 256].map(sizeClass)).toEqual([64, 64, 128, 256, 256]);
    expect([257, 320, 321, 1000, 1024, 1025, 100_000].map(sizeClass)).toEqual([320, 320, 384, 1024, 1024, 1280, 114_688]);
    for (let b = 1; b < 200_000; b += 997) {
      const c = sizeClass(b);
      expect(c % 64).toBe(0);
      expect(c).toBeGreaterThanOrEqual(b);
      expect(c).toBeLessThanOrEqual(Math.max(64, b * 1.25 + 64));
    }
  });

  it('aligns blocks to 64 bytes above the base and bumps the top', () => {
    const { a } = heap(1000);
    expect(a.alloc(10)).toBe(1024);
    expect(a.alloc(100)).toBe(1088);
    expect(a.stats()).toMatchObject({ usedBytes: 64 + 128, liveBlocks: 2, top: 1216 });
    expect(a.alloc(0)).toBe(0);
    a.free(0);
  });

  it('a freed block is reused for the same class without touching the heap', () => {
    const { a } = heap();
    const p = a.alloc(5000);
    a.alloc(64);
    a.free(p);
    expect(a.stats()).toMatchObject({ cachedBlocks: 1, cachedBytes: sizeClass(5000) });
    expect(a.alloc(4900)).toBe(p); // same class
    expect(a.stats().cachedBlocks).toBe(0);
  });

  it('flushes the caches (coalescing) before growing the memory', () => {
    const { a, grows } = heap(64, 64 + 4 * 1024);
    const blocks = [a.alloc(1024), a.alloc(1024), a.alloc(1024), a.alloc(1024)];
    expect(a.stats().top).toBe(64 + 4096); // memory full
    a.free(blocks[1]!);
    a.free(blocks[2]!);
    const p = a.alloc(2048); // no class block of 2048: flush, merge 1 and 2, fit
    expect(p).toBe(blocks[1]);
    expect(grows).toEqual([]);
    a.free(blocks[3]!);
    a.flush(); // block 3 is the tail: the top comes down
    expect(a.stats()).toMatchObject({ top: blocks[3], freeBlocks: 0, cachedBlocks: 0 });
    a.alloc(8192); // too big for the memory: grows
    expect(grows.length).toBe(1);
  });

  it('best fit in the general heap: the smallest hole that fits, split', () => {
    const { a } = heap(64);
    const big = a.alloc(1024);
    a.alloc(64);
    const small = a.alloc(256);
    a.alloc(64);
    a.free(big);
    a.free(small);
    a.flush();
    expect(a.alloc(192)).toBe(small); // the 256-byte hole, not the 1024 one
    expect(a.stats().freeBytes).toBe(1024 + 64);
  });

  it('a repeating alloc/free pattern reaches a fixed footprint at once', () => {
    const { a } = heap(64);
    const sizes = [4096, 64, 100_000, 12, 4096, 777, 100_000, 64, 33_000];
    let peak = -1;
    const keep: number[] = [];
    for (let step = 0; step < 300; step++) {
      const ptrs = sizes.map((s) => a.alloc(s));
      // free in another order than allocated, keeping one block per step alive for a while
      keep.push(ptrs.pop()!);
      for (let i = ptrs.length - 1; i >= 0; i -= 2) a.free(ptrs[i]!);
      for (let i = ptrs.length - 2; i >= 0; i -= 2) a.free(ptrs[i]!);
      if (keep.length > 2) a.free(keep.shift()!);
      if (step === 3) peak = a.stats().peak;
    }
    expect(a.stats().peak).toBe(peak);
  });

  it('rejects freeing an unknown block', () => {
    const { a } = heap();
    expect(() => a.free(12345)).toThrow(/unknown block/);
  });
});
