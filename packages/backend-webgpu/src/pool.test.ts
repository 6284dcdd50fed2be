import { describe, expect, it } from 'vitest';
import { BufferPool, sizeClass } from './pool.js';

class FakeBuffer {
  destroyed = false;
  constructor(readonly size: number) {}
}

function pool(maxPooledBytes?: number) {
  const made: FakeBuffer[] = [];
  const p = new BufferPool<FakeBuffer>({
    create: (size) => {
      const b = new FakeBuffer(size);
      made.push(b);
      return b;
    },
    destroy: (b) => void (b.destroyed = true),
    maxPooledBytes,
  });
  return { p, made };
}

describe('buffer pool', () => {
  it('size classes: at least 256 bytes, then quarter steps of powers of two (≤ 25 % waste)', () => {
    expect(sizeClass(1)).toBe(256);
    expect(sizeClass(256)).toBe(256);
    expect(sizeClass(257)).toBe(320);
    expect(sizeClass(1024)).toBe(1024);
    expect(sizeClass(1025)).toBe(1280);
    expect(sizeClass(1537)).toBe(1792);
    expect(sizeClass(1793)).toBe(2048);
    for (let b = 1; b < 1e6; b = Math.ceil(b * 1.37)) {
      const c = sizeClass(b);
      expect(c).toBeGreaterThanOrEqual(b);
      if (b > 256) expect(c / b).toBeLessThanOrEqual(1.25);
    }
  });

  it('reuses a released buffer of the same class only after recycle() (the next submit)', () => {
    const { p, made } = pool();
    const a = p.acquire(1000);
    expect(a.size).toBe(1024);
    p.release(a);
    const b = p.acquire(1000);
    expect(b).not.toBe(a); // parked: pending commands may still read it
    p.recycle();
    const c = p.acquire(900);
    expect(c).toBe(a);
    expect(made.length).toBe(2);
    expect(p.stats()).toMatchObject({ inUse: 2, pooled: 0, hits: 1, misses: 2, allocatedBytes: 2048 });
  });

  it('different classes do not mix', () => {
    const { p } = pool();
    const a = p.acquire(4096);
    p.release(a);
    p.recycle();
    expect(p.acquire(100)).not.toBe(a);
    expect(p.acquire(4000)).toBe(a);
  });

  it('trims pooled bytes to the limit, largest first, and clear() destroys everything pooled', () => {
    const { p } = pool(5000);
    const bufs = [p.acquire(4096), p.acquire(1024), p.acquire(1024), p.acquire(256)];
    bufs.forEach((b) => p.release(b));
    p.recycle();
    expect(bufs[0]!.destroyed).toBe(true);
    expect(bufs.slice(1).every((b) => !b.destroyed)).toBe(true);
    expect(p.stats()).toMatchObject({ pooled: 3, pooledBytes: 2304, allocatedBytes: 2304 });
    p.clear();
    expect(bufs.every((b) => b.destroyed)).toBe(true);
    expect(p.stats()).toMatchObject({ pooled: 0, pooledBytes: 0, allocatedBytes: 0 });
  });
});
