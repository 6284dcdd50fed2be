import '@mapnn/backend-cpu';
import { setBackend } from '@mapnn/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataType, OnnxImportError, decodeTensor, decodeTensorProto, encodeTensorProto, tensorFromProto, tensorToProto, tensor } from './imports.js';
import { tensorProto } from './helpers.js';

beforeAll(() => setBackend('cpu'));

function raw(bytes: number[]): Uint8Array {
  return new Uint8Array(bytes);
}

function le(values: number[], kind: 'f32' | 'f64' | 'i16' | 'u16' | 'i32' | 'u32' | 'i64' | 'u64'): Uint8Array {
  const size = { f32: 4, f64: 8, i16: 2, u16: 2, i32: 4, u32: 4, i64: 8, u64: 8 }[kind];
  const out = new Uint8Array(values.length * size);
  const dv = new DataView(out.buffer);
  values.forEach((v, i) => {
    const o = i * size;
    if (kind === 'f32') dv.setFloat32(o, v, true);
    else if (kind === 'f64') dv.setFloat64(o, v, true);
    else if (kind === 'i16') dv.setInt16(o, v, true);
    else if (kind === 'u16') dv.setUint16(o, v, true);
    else if (kind === 'i32') dv.setInt32(o, v, true);
    else if (kind === 'u32') dv.setUint32(o, v, true);
    else if (kind === 'i64') dv.setBigInt64(o, BigInt(v), true);
    else dv.setBigUint64(o, BigInt(v), true);
  });
  return out;
}

describe('TensorProto decoding', () => {
  const cases: [string, number, Uint8Array, string, number[]][] = [
    ['float raw', DataType.FLOAT, le([1.5, -2, 3.25], 'f32'), 'float32', [1.5, -2, 3.25]],
    ['double raw', DataType.DOUBLE, le([0.1, -1e300, 7], 'f64'), 'float64', [0.1, -1e300, 7]],
    ['float16 raw', DataType.FLOAT16, raw([0x00, 0x3c, 0x00, 0xc0, 0x00, 0x38]), 'float16', [1, -2, 0.5]],
    ['bfloat16 raw (read as float32)', DataType.BFLOAT16, raw([0x80, 0x3f, 0x40, 0xc0, 0x00, 0x3f]), 'float32', [1, -3, 0.5]],
    ['int32 raw', DataType.INT32, le([-7, 0, 2147483647], 'i32'), 'int32', [-7, 0, 2147483647]],
    ['int64 raw', DataType.INT64, le([-5, 9007199254740991, 3], 'i64'), 'int64', [-5, 9007199254740991, 3]],
    ['int8 raw', DataType.INT8, raw([0xff, 0x80, 0x7f]), 'int8', [-1, -128, 127]],
    ['uint8 raw', DataType.UINT8, raw([0, 200, 255]), 'uint8', [0, 200, 255]],
    ['bool raw', DataType.BOOL, raw([1, 0, 7]), 'bool', [1, 0, 1]],
    ['int16 raw (widened)', DataType.INT16, le([-300, 2, 32767], 'i16'), 'int32', [-300, 2, 32767]],
    ['uint16 raw (widened)', DataType.UINT16, le([65535, 2, 0], 'u16'), 'int32', [65535, 2, 0]],
    ['uint32 raw (widened)', DataType.UINT32, le([4294967295, 1, 0], 'u32'), 'int64', [4294967295, 1, 0]],
    ['uint64 raw', DataType.UINT64, le([12, 1, 0], 'u64'), 'int64', [12, 1, 0]],
  ];
  for (const [label, dataType, rawData, dtype, values] of cases) {
    it(label, () => {
      const t = tensorFromProto({ name: 'x', dims: [3], dataType, rawData });
      expect(t.dtype).toBe(dtype);
      expect(t.shape).toEqual([3]);
      expect(Array.from(t.dataSync())).toEqual(values);
    });
  }

  it('reads raw data at an unaligned offset (little-endian)', () => {
    const buf = new Uint8Array(13);
    buf.set(le([1, 2, 3], 'f32'), 1);
    const t = tensorFromProto({ name: 'x', dims: [3], dataType: DataType.FLOAT, rawData: buf.subarray(1) });
    expect(Array.from(t.dataSync())).toEqual([1, 2, 3]);
  });

  it('reads every typed field', () => {
    expect(Array.from(tensorFromProto(tensorProto('a', [2], [1.5, 2], DataType.FLOAT)).dataSync())).toEqual([1.5, 2]);
    expect(Array.from(tensorFromProto(tensorProto('a', [2], [0.25, 2], DataType.DOUBLE)).dataSync())).toEqual([0.25, 2]);
    expect(Array.from(tensorFromProto(tensorProto('a', [2], [-4, 5], DataType.INT32)).dataSync())).toEqual([-4, 5]);
    expect(Array.from(tensorFromProto(tensorProto('a', [2], [-4, 5], DataType.INT64)).dataSync())).toEqual([-4, 5]);
    expect(Array.from(tensorFromProto(tensorProto('a', [2], [-4, 5], DataType.INT8)).dataSync())).toEqual([-4, 5]);
    expect(Array.from(tensorFromProto(tensorProto('a', [2], [4, 250], DataType.UINT8)).dataSync())).toEqual([4, 250]);
    expect(Array.from(tensorFromProto(tensorProto('a', [2], [1, 0], DataType.BOOL)).dataSync())).toEqual([1, 0]);
    expect(Array.from(tensorFromProto(tensorProto('a', [2], [0x3c00, 0xbc00], DataType.FLOAT16)).dataSync())).toEqual([1, -1]);
    expect(Array.from(tensorFromProto(tensorProto('a', [2], [7, 8], DataType.UINT64)).dataSync())).toEqual([7, 8]);
  });

  it('decodes scalars and empty tensors', () => {
    const s = tensorFromProto(tensorProto('s', [], [42], DataType.INT64));
    expect(s.shape).toEqual([]);
    expect(s.item()).toBe(42);
    const e = tensorFromProto({ name: 'e', dims: [0, 3], dataType: DataType.FLOAT });
    expect(e.shape).toEqual([0, 3]);
  });

  it('saturates int64 beyond ±(2^53 − 1) (INT64_MAX means "to the end" in Slice)', () => {
    const t = tensorFromProto({ name: 'ends', dims: [2], dataType: DataType.INT64, rawData: le([0, 0], 'i64') });
    expect(t.size).toBe(2);
    const big = new Uint8Array(16);
    const dv = new DataView(big.buffer);
    dv.setBigInt64(0, 9223372036854775807n, true);
    dv.setBigInt64(8, -9223372036854775808n, true);
    const v = tensorFromProto({ name: 'ends', dims: [2], dataType: DataType.INT64, rawData: big }).dataSync();
    expect(Array.from(v)).toEqual([Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER]);
  });

  it('round-trips through tensorToProto / encodeTensorProto', () => {
    for (const [vals, dt] of [
      [[1.5, -2], 'float32'],
      [[1e-300, 3], 'float64'],
      [[-3, 4], 'int64'],
      [[-3, 4], 'int32'],
      [[1, 0], 'bool'],
      [[0.5, -2], 'float16'],
    ] as const) {
      const t = tensor([...vals], [2], dt);
      const back = tensorFromProto(decodeTensorProto(encodeTensorProto(tensorToProto(t, 'w'))));
      expect(back.dtype).toBe(dt);
      expect(Array.from(back.dataSync())).toEqual(Array.from(t.dataSync()));
    }
  });

  it('rejects unsupported data types with an OnnxImportError naming the tensor and type', () => {
    for (const dataType of [DataType.STRING, DataType.COMPLEX64, DataType.COMPLEX128, 99, 0]) {
      expect(() => decodeTensor({ name: 'bad', dims: [1], dataType, rawData: raw([0, 0, 0, 0, 0, 0, 0, 0]) })).toThrow(OnnxImportError);
    }
    expect(() => decodeTensor({ name: 'bad', dims: [1], dataType: DataType.STRING })).toThrow(/tensor 'bad'.*STRING \(8\)/);
    expect(() => decodeTensor({ name: 'bad', dims: [1], dataType: 99 })).toThrow(/unknown \(99\)/);
  });

  it('rejects data that does not fill the shape', () => {
    expect(() => decodeTensor({ name: 'w', dims: [4], dataType: DataType.FLOAT, rawData: le([1, 2, 3], 'f32') })).toThrow(/raw_data holds 12 bytes but the shape needs 4 × 4 = 16/);
    expect(() => decodeTensor(tensorProto('w', [4], [1, 2, 3]))).toThrow(/float_data holds 3 values but the shape needs 4/);
  });

  it('rejects absurd dims before allocating', () => {
    const t0 = Date.now();
    expect(() => decodeTensor({ name: 'huge', dims: [1 << 20, 1 << 20], dataType: DataType.FLOAT, rawData: le([1], 'f32') })).toThrow(
      /claims 1099511627776 elements, more than the limit/,
    );
    expect(() => decodeTensor({ name: 'neg', dims: [-1, 3], dataType: DataType.FLOAT })).toThrow(/invalid dim -1/);
    expect(() => decodeTensor({ name: 'w', dims: [100], dataType: DataType.FLOAT, rawData: le([1], 'f32') }, { maxElements: 10 })).toThrow(/limit of 10/);
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('asks for the Node entry when data is external', () => {
    expect(() =>
      decodeTensor({ name: 'w', dims: [1], dataType: DataType.FLOAT, dataLocation: 1, externalData: [{ key: 'location', value: 'w.bin' }] }),
    ).toThrow(/external file 'w.bin'.*importOnnxFile/);
  });
});
