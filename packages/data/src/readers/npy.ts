import { fromStorage, type DType, type Tensor } from '@mapnn/core';
import { parseNpyHeader } from './npy-header.js';

/** A parsed `.npy` array. */
export interface NpyArray {
  /** The NumPy type string from the header, e.g. `'<f4'`. */
  descr: string;
  /** The core dtype the values map to. */
  dtype: DType;
  shape: number[];
  /** Values in core storage form (int64 as integral float64, bool as 0/1 bytes). */
  data: Float32Array | Float64Array | Int32Array | Int8Array | Uint8Array;
  /** Header format version (1, 2 or 3). */
  version: number;
}

const DESCRS: Record<string, { dtype: DType; bytes: number }> = {
  '<f4': { dtype: 'float32', bytes: 4 },
  '<f8': { dtype: 'float64', bytes: 8 },
  '<i4': { dtype: 'int32', bytes: 4 },
  '<i8': { dtype: 'int64', bytes: 8 },
  '|u1': { dtype: 'uint8', bytes: 1 },
  '|i1': { dtype: 'int8', bytes: 1 },
  '|b1': { dtype: 'bool', bytes: 1 },
};
// NumPy also writes single-byte types with '<' or '=' on some platforms.
const ALIASES: Record<string, string> = { '<u1': '|u1', '=u1': '|u1', '<i1': '|i1', '=i1': '|i1', '<b1': '|b1', '=b1': '|b1' };

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** Options of `parseNpy`. */
export interface ParseNpyOptions {
  /** Name used in error messages (e.g. the file name). */
  name?: string;
}

/**
 * Parses a NumPy `.npy` file (format versions 1.0, 2.0 and 3.0) holding a C-order array of
 * `<f4`, `<f8`, `<i4`, `<i8`, `|u1`, `|i1` or `|b1`. Fortran-order arrays, big-endian data,
 * other types, and files whose length does not match the header throw an error that says why.
 * The header is read as NumPy reads it (a Python dict literal: a key given twice takes its last
 * value; exactly the keys `descr`, `fortran_order` and `shape`).
 * `<i8` values must fit int64 storage (±(2^53 − 1)).
 *
 * @example
 * const arr = parseNpy(bytes, { name: 'weights.npy' }); // { dtype: 'float32', shape: [3, 4], … }
 */
export function parseNpy(bytes: Uint8Array, options: ParseNpyOptions = {}): NpyArray {
  const name = options.name ?? '.npy data';
  if (bytes.length < 10 || !MAGIC.every((b, i) => bytes[i] === b)) {
    throw new Error(`${name}: not a .npy file (missing the \\x93NUMPY magic string)`);
  }
  const major = bytes[6]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLen: number;
  let headerStart: number;
  if (major === 1) {
    headerLen = view.getUint16(8, true);
    headerStart = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) throw new Error(`${name}: truncated .npy header`);
    headerLen = view.getUint32(8, true);
    headerStart = 12;
  } else {
    throw new Error(`${name}: unsupported .npy format version ${major}.${bytes[7]} (supported: 1.0, 2.0, 3.0)`);
  }
  const dataStart = headerStart + headerLen;
  if (bytes.length < dataStart) throw new Error(`${name}: truncated .npy header (${headerLen} header bytes declared, file has ${bytes.length})`);
  const headerBytes = bytes.subarray(headerStart, dataStart);
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(headerBytes);
  const { descr, fortranOrder, shape } = parseNpyHeader(header, name);
  if (fortranOrder) {
    throw new Error(`${name}: fortran_order arrays are not supported; save a C-order array (np.ascontiguousarray) instead`);
  }
  const spec = DESCRS[ALIASES[descr] ?? descr];
  if (!spec) {
    const why = descr.startsWith('>') ? 'big-endian data is not supported' : 'unsupported type';
    throw new Error(`${name}: ${why} '${descr}' (supported: ${Object.keys(DESCRS).join(', ')})`);
  }
  const count = shape.reduce((a, b) => a * b, 1);
  const expected = count * spec.bytes;
  const actual = bytes.length - dataStart;
  if (actual !== expected) {
    throw new Error(
      `${name}: ${actual < expected ? 'truncated' : 'corrupted'} .npy file: shape (${shape.join(', ')}) of '${descr}' ` +
        `needs ${expected} data bytes, the file has ${actual}`,
    );
  }
  const raw = new Uint8Array(bytes.subarray(dataStart, dataStart + expected)).buffer; // own, aligned copy (a Node Buffer's .buffer is a shared pool)
  let data: NpyArray['data'];
  switch (spec.dtype) {
    case 'float32':
      data = littleEndian ? new Float32Array(raw) : readSwapped(raw, count, (v, o) => v.getFloat32(o, true), 4, Float32Array);
      break;
    case 'float64':
      data = littleEndian ? new Float64Array(raw) : readSwapped(raw, count, (v, o) => v.getFloat64(o, true), 8, Float64Array);
      break;
    case 'int32':
      data = littleEndian ? new Int32Array(raw) : readSwapped(raw, count, (v, o) => v.getInt32(o, true), 4, Int32Array);
      break;
    case 'int64': {
      const v = new DataView(raw);
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) {
        const big = v.getBigInt64(8 * i, true);
        const num = Number(big);
        if (!Number.isSafeInteger(num)) {
          throw new RangeError(`${name}: int64 value ${big} at flat index ${i} is outside the int64 storage range ±(2^53 − 1)`);
        }
        out[i] = num;
      }
      data = out;
      break;
    }
    case 'int8':
      data = new Int8Array(raw);
      break;
    case 'uint8':
      data = new Uint8Array(raw);
      break;
    default: {
      // bool: NumPy writes 0/1 bytes; normalise anything non-zero to 1
      const u = new Uint8Array(raw);
      for (let i = 0; i < u.length; i++) u[i] = u[i] ? 1 : 0;
      data = u;
    }
  }
  return { descr, dtype: spec.dtype, shape, data, version: major };
}

const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function readSwapped<T extends Float32Array | Float64Array | Int32Array>(
  raw: ArrayBuffer,
  n: number,
  get: (v: DataView, o: number) => number,
  width: number,
  Ctor: new (n: number) => T,
): T {
  const v = new DataView(raw);
  const out = new Ctor(n);
  for (let i = 0; i < n; i++) out[i] = get(v, i * width);
  return out;
}

/** An `.npy` array as a tensor (same shape and dtype). */
export function npyToTensor(arr: NpyArray): Tensor {
  return fromStorage(arr.data, arr.shape, arr.dtype, 'npyToTensor');
}

const DESCR_OF: Partial<Record<DType, string>> = {
  float32: '<f4',
  float64: '<f8',
  int32: '<i4',
  int64: '<i8',
  uint8: '|u1',
  int8: '|i1',
  bool: '|b1',
};

/**
 * Encodes values as a version 1.0 `.npy` file (C order, little-endian) that NumPy reads with
 * `np.load`. Accepts a tensor, or storage values with a shape and dtype.
 *
 * @example encodeNpy(tensor([[1, 2], [3, 4]])) // bytes of a float32 (2, 2) array
 */
export function encodeNpy(x: Tensor | { data: ArrayLike<number>; shape: readonly number[]; dtype: DType }): Uint8Array {
  const { shape, dtype } = x;
  const data = 'dataSync' in x ? x.dataSync() : x.data;
  const descr = DESCR_OF[dtype];
  if (!descr) throw new Error(`encodeNpy: dtype ${dtype} has no .npy type here`);
  const shapeStr = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeStr}, }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const width = DESCRS[descr]!.bytes;
  const n = data.length;
  const out = new Uint8Array(10 + header.length + n * width);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  const view = new DataView(out.buffer);
  view.setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const o = 10 + header.length;
  for (let i = 0; i < n; i++) {
    const v = data[i]!;
    const p = o + i * width;
    if (dtype === 'float32') view.setFloat32(p, v, true);
    else if (dtype === 'float64') view.setFloat64(p, v, true);
    else if (dtype === 'int32') view.setInt32(p, v, true);
    else if (dtype === 'int64') view.setBigInt64(p, BigInt(v), true);
    else if (dtype === 'int8') view.setInt8(p, v);
    else view.setUint8(p, dtype === 'bool' ? (v ? 1 : 0) : v);
  }
  return out;
}
