import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tensor } from '@mapnn/core';
import { atOffset } from '../../test/byte-views.js';
import { encodeNpy, npyToTensor, parseNpy } from './npy.js';

const dir = new URL('../../fixtures/npy/', import.meta.url);
const read = (f: string) => new Uint8Array(readFileSync(new URL(f, dir)));
const manifest = JSON.parse(readFileSync(new URL('manifest.json', dir), 'utf8')) as {
  file: string;
  descr: string;
  shape: number[];
  values: number[];
}[];

const DTYPE: Record<string, string> = { '<f4': 'float32', '<f8': 'float64', '<i4': 'int32', '<i8': 'int64', '|u1': 'uint8', '|i1': 'int8', '|b1': 'bool' };

describe('parseNpy (files written by NumPy, scripts/gen_sklearn_fixtures.py)', () => {
  it('reads every supported dtype in header versions 1, 2 and 3', () => {
    expect(manifest.length).toBeGreaterThanOrEqual(25);
    for (const m of manifest) {
      const arr = parseNpy(read(m.file), { name: m.file });
      expect(arr.dtype, m.file).toBe(DTYPE[m.descr]);
      expect(arr.shape, m.file).toEqual(m.shape);
      expect(Array.from(arr.data), m.file).toEqual(m.values.map((v) => (m.descr === '<f4' ? Math.fround(v) : v)));
      const v = /_v(\d)\.npy$/.exec(m.file);
      if (v) expect(arr.version).toBe(Number(v[1]));
    }
  });

  it('makes tensors (int64 as integral float64 storage, bool as 0/1)', () => {
    const t = npyToTensor(parseNpy(read('i8_v1.npy')));
    expect(t.dtype).toBe('int64');
    expect(t.arraySync()).toEqual([
      [0, 1e12, -2e12],
      [3e12, 127e12, -128e12],
    ]);
    expect(npyToTensor(parseNpy(read('scalar_f8.npy'))).shape).toEqual([]);
    expect(npyToTensor(parseNpy(read('empty_f4.npy'))).shape).toEqual([0, 3]);
  });

  it('rejects fortran order, big-endian and unsupported types with the reason', () => {
    expect(() => parseNpy(read('reject_fortran.npy'), { name: 'f.npy' })).toThrow(/f\.npy: fortran_order arrays are not supported/);
    expect(() => parseNpy(read('reject_bigendian.npy'), { name: 'b.npy' })).toThrow(/b\.npy: big-endian data is not supported '>f4'/);
    expect(() => parseNpy(read('reject_f2.npy'), { name: 'h.npy' })).toThrow(/h\.npy: unsupported type '<f2'/);
  });

  it('rejects truncated, padded and non-npy data', () => {
    const bytes = read('f4_v1.npy');
    expect(() => parseNpy(bytes.subarray(0, bytes.length - 2), { name: 'x.npy' })).toThrow(/x\.npy: truncated \.npy file: shape \(2, 3\) of '<f4' needs 24 data bytes, the file has 22/);
    expect(() => parseNpy(bytes.subarray(0, 40), { name: 'x.npy' })).toThrow(/x\.npy: truncated \.npy header/);
    const longer = new Uint8Array(bytes.length + 4);
    longer.set(bytes);
    expect(() => parseNpy(longer, { name: 'x.npy' })).toThrow(/corrupted \.npy file/);
    expect(() => parseNpy(new TextEncoder().encode('hello world'), { name: 'x.npy' })).toThrow(/not a \.npy file/);
    const v9 = bytes.slice();
    v9[6] = 9;
    expect(() => parseNpy(v9)).toThrow(/unsupported \.npy format version 9\.0/);
  });

  it('round-trips through encodeNpy byte-for-byte with NumPy for a v1 file', () => {
    const arr = parseNpy(read('i4_v1.npy'));
    expect(Array.from(encodeNpy(arr))).toEqual(Array.from(read('i4_v1.npy')));
    const t = tensor([1.5, -2, 3], [3]);
    const back = parseNpy(encodeNpy(t));
    expect(back.shape).toEqual([3]);
    expect(Array.from(back.data)).toEqual([1.5, -2, 3]);
  });
});

describe('parseNpy on Node Buffers', () => {
  it('reads a small file held in a pooled Buffer (its .buffer is shared with other data)', () => {
    const bytes = encodeNpy(tensor([1.5, -2, 3], [3]));
    const pooled = Buffer.from(bytes); // small Buffers live inside Node's shared 8 KB pool
    expect(pooled.buffer.byteLength).toBeGreaterThan(bytes.length);
    const arr = parseNpy(pooled);
    expect(Array.from(arr.data as Float32Array)).toEqual([1.5, -2, 3]);
  });
});

/** A version 1.0 `.npy` file with a hand-written header and `data` after it. */
function npyWithHeader(header: string, data: Uint8Array): Uint8Array {
  const text = header + ' '.repeat((64 - ((10 + header.length + 1) % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + text.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, text.length & 0xff, text.length >> 8]);
  for (let i = 0; i < text.length; i++) out[10 + i] = text.charCodeAt(i);
  out.set(data, 10 + text.length);
  return out;
}

const twoFloats = new Uint8Array(new Float32Array([1.5, -2]).buffer);

describe('parseNpy headers, read as NumPy reads them (a Python dict literal)', () => {
  it('a key given twice takes its last value, as in a Python dict', () => {
    const header = "{'descr': '<i4', 'descr': '<f4', 'fortran_order': True, 'fortran_order': False, 'shape': (9,), 'shape': (2,), }";
    const arr = parseNpy(npyWithHeader(header, twoFloats), { name: 'dup.npy' });
    expect(arr.descr).toBe('<f4');
    expect(arr.shape).toEqual([2]);
    expect(Array.from(arr.data)).toEqual([1.5, -2]);
  });

  it('accepts the other spellings literal_eval accepts: double quotes, any key order, no trailing comma', () => {
    const arr = parseNpy(npyWithHeader('{"shape": (1, 2), "fortran_order": False, "descr": "<f4"}', twoFloats));
    expect(arr.shape).toEqual([1, 2]);
    expect(parseNpy(npyWithHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (2L,), }", twoFloats)).shape).toEqual([2]);
  });

  it('rejects what NumPy rejects: missing or extra keys, a shape that is not a tuple, a non-bool fortran_order', () => {
    const bad = (h: string) => () => parseNpy(npyWithHeader(h, twoFloats), { name: 'h.npy' });
    expect(bad("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'extra': 1}")).toThrow(
      /h\.npy: malformed \.npy header \(keys are 'descr', 'extra', 'fortran_order', 'shape'; expected exactly/,
    );
    expect(bad("{'descr': '<f4', 'shape': (2,)}")).toThrow(/keys are 'descr', 'shape'; expected exactly/);
    expect(bad("{'descr': '<f4', 'fortran_order': False, 'shape': (2)}")).toThrow(/'shape' is not a tuple/);
    expect(bad("{'descr': '<f4', 'fortran_order': 0, 'shape': (2,)}")).toThrow(/'fortran_order' is not True or False/);
    expect(bad("{'descr': '<f4', 'fortran_order': False, 'shape': (-2,)}")).toThrow(/malformed \.npy header/);
    expect(bad("{'descr': '<f4', 'fortran_order': False, 'shape': (2,)} x")).toThrow(/unexpected text after the dict/);
    expect(bad("{'descr': '<f4', 'fortran_order': False, 'shape': (2,)")).toThrow(/malformed \.npy header/);
    expect(bad("{'descr': [('x', '<f4')], 'fortran_order': False, 'shape': (2,)}")).toThrow(/h\.npy: structured \(record\) arrays are not supported/);
  });
});

describe('parseNpy on a view at a nonzero offset', () => {
  it('reads only the view, at an odd (unaligned) offset into a larger buffer', () => {
    const arr = parseNpy(atOffset(encodeNpy(tensor([1.5, -2, 3], [3]))));
    expect(Array.from(arr.data)).toEqual([1.5, -2, 3]);
    expect(arr.data.byteOffset).toBe(0); // its own aligned copy
  });
});
