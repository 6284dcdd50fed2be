import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { atOffset } from '../../test/byte-views.js';
import { encodeIdx, idxToTensor, parseIdx, type IdxArray } from './idx.js';

const images: Omit<IdxArray, 'magic'> = { dtype: 'uint8', shape: [2, 3, 2], data: Uint8Array.from({ length: 12 }, (_, i) => i * 20) };

describe('parseIdx', () => {
  it('reads the header and big-endian values of every type', () => {
    const cases: Omit<IdxArray, 'magic'>[] = [
      images,
      { dtype: 'int8', shape: [3], data: new Int8Array([-128, 0, 127]) },
      { dtype: 'int16', shape: [2], data: new Int16Array([-300, 258]) },
      { dtype: 'int32', shape: [2], data: new Int32Array([-70000, 16909060]) },
      { dtype: 'float32', shape: [1, 2], data: new Float32Array([1.5, -2.25]) },
      { dtype: 'float64', shape: [2], data: new Float64Array([Math.PI, -1e300]) },
    ];
    for (const c of cases) {
      const parsed = parseIdx(encodeIdx(c), { name: c.dtype });
      expect(parsed.dtype).toBe(c.dtype);
      expect(parsed.shape).toEqual(c.shape);
      expect(Array.from(parsed.data)).toEqual(Array.from(c.data));
    }
    // big-endian on disk: int16 -300 is ff d4
    expect(Array.from(encodeIdx(cases[2]!).subarray(8, 10))).toEqual([0xfe, 0xd4]);
  });

  it('reads MNIST-style magic numbers and gzip input', () => {
    const bytes = encodeIdx(images);
    expect(Array.from(bytes.subarray(0, 4))).toEqual([0, 0, 8, 3]);
    const parsed = parseIdx(gzipSync(bytes), { name: 'imgs.gz', expectMagic: 2051 });
    expect(parsed.magic).toBe(2051);
    expect(parsed.shape).toEqual([2, 3, 2]);
  });

  it('makes a tensor of the same shape (int16 → int32)', () => {
    const t = idxToTensor(parseIdx(encodeIdx(images)));
    expect(t.shape).toEqual([2, 3, 2]);
    expect(t.dtype).toBe('uint8');
    expect(Array.from(t.dataSync())).toEqual(Array.from(images.data));
    const s = idxToTensor(parseIdx(encodeIdx({ dtype: 'int16', shape: [2], data: new Int16Array([-1, 2]) })));
    expect(s.dtype).toBe('int32');
    expect(Array.from(s.dataSync())).toEqual([-1, 2]);
  });

  it('rejects truncated and corrupted files with clear errors naming the file', () => {
    const bytes = encodeIdx(images);
    expect(() => parseIdx(bytes.subarray(0, 3), { name: 'f.idx' })).toThrow(/f\.idx: truncated IDX file/);
    expect(() => parseIdx(bytes.subarray(0, 10), { name: 'f.idx' })).toThrow(/f\.idx: truncated IDX header/);
    expect(() => parseIdx(bytes.subarray(0, bytes.length - 1), { name: 'f.idx' })).toThrow(
      /f\.idx: truncated IDX file: the header declares shape \[2, 3, 2\] of uint8 \(12 bytes of data\) but only 11 bytes follow/,
    );
    const longer = new Uint8Array(bytes.length + 3);
    longer.set(bytes);
    expect(() => parseIdx(longer, { name: 'f.idx' })).toThrow(/f\.idx: corrupted IDX file: 3 unexpected bytes/);
    const badMagic = bytes.slice();
    badMagic[0] = 0x42;
    expect(() => parseIdx(badMagic, { name: 'f.idx' })).toThrow(/f\.idx: not an IDX file/);
    const badType = bytes.slice();
    badType[2] = 0x0a;
    expect(() => parseIdx(badType, { name: 'f.idx' })).toThrow(/unknown IDX type code 0xa/);
    expect(() => parseIdx(bytes, { name: 'f.idx', expectMagic: 2049 })).toThrow(/magic number 2051 .* expected 2049/);
    const gz = gzipSync(bytes);
    expect(() => parseIdx(gz.subarray(0, gz.length - 5), { name: 'f.idx.gz' })).toThrow(/f\.idx\.gz: (truncated|corrupted) gzip/);
  });

  it('rejects a huge declared shape quickly instead of hanging or allocating', () => {
    const bytes = encodeIdx({ dtype: 'float64', shape: [1], data: new Float64Array([1]) });
    new DataView(bytes.buffer).setUint32(4, 0xffffffff, false);
    const t0 = performance.now();
    expect(() => parseIdx(bytes, { name: 'huge.idx' })).toThrow(/truncated IDX file/);
    expect(performance.now() - t0).toBeLessThan(100);
  });
});

describe('parseIdx on a view at a nonzero offset', () => {
  it('reads only the view, raw and gzip-compressed, for 1-byte and multi-byte types', () => {
    const floats: Omit<IdxArray, 'magic'> = { dtype: 'float32', shape: [2], data: new Float32Array([1.5, -2.25]) };
    for (const c of [images, floats]) {
      const raw = parseIdx(atOffset(encodeIdx(c)), { name: c.dtype });
      expect(raw.shape, c.dtype).toEqual(c.shape);
      expect(Array.from(raw.data), c.dtype).toEqual(Array.from(c.data));
      const gz = parseIdx(atOffset(gzipSync(encodeIdx(c))), { name: `${c.dtype}.gz` });
      expect(Array.from(gz.data), `${c.dtype}.gz`).toEqual(Array.from(c.data));
    }
  });
});
