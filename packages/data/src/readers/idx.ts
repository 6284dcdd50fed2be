import { fromStorage, type Tensor } from '@mapnn/core';
import { maybeGunzip, type Gunzip } from './gzip.js';

/** Element types of the IDX format (the third byte of the magic number). */
export type IdxDType = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

/** A parsed IDX array: shape, element type and values (row-major, native byte order). */
export interface IdxArray {
  /** The 32-bit magic number (e.g. 2051 = 0x00000803 for MNIST images, 2049 for labels). */
  magic: number;
  dtype: IdxDType;
  shape: number[];
  data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

const CODES: Record<number, { dtype: IdxDType; bytes: number }> = {
  0x08: { dtype: 'uint8', bytes: 1 },
  0x09: { dtype: 'int8', bytes: 1 },
  0x0b: { dtype: 'int16', bytes: 2 },
  0x0c: { dtype: 'int32', bytes: 4 },
  0x0d: { dtype: 'float32', bytes: 4 },
  0x0e: { dtype: 'float64', bytes: 8 },
};

/** Options of `parseIdx`. */
export interface ParseIdxOptions {
  /** Name used in error messages (e.g. the file name). */
  name?: string;
  /** Gzip decompressor for gzip input (default: fflate with CRC and length checks). */
  gunzip?: Gunzip;
  /** Magic number the file must have (e.g. 2051 for MNIST images). */
  expectMagic?: number;
}

/**
 * Parses an IDX file (the MNIST / Fashion-MNIST format), raw or gzip-compressed. The header is a
 * big-endian magic number `00 00 <type> <ndims>` followed by `ndims` big-endian uint32 sizes, then
 * the values, big-endian. Validation is strict: a wrong magic number, an unknown type code, a
 * file shorter or longer than its header promises, or a damaged gzip stream throws an error
 * naming the file and the problem — never a silent short read.
 *
 * @example
 * const labels = parseIdx(bytes, { name: 'train-labels-idx1-ubyte.gz' });
 * labels.shape; // [60000]
 * labels.data;  // Uint8Array of class ids
 */
export function parseIdx(input: Uint8Array, options: ParseIdxOptions = {}): IdxArray {
  const name = options.name ?? 'IDX data';
  const bytes = maybeGunzip(input, name, options.gunzip);
  if (bytes.length < 4) throw new Error(`${name}: truncated IDX file (${bytes.length} bytes, the magic number needs 4)`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new Error(
      `${name}: not an IDX file (magic number starts with ${bytes[0]}, ${bytes[1]}; expected 0, 0)`,
    );
  }
  const code = CODES[bytes[2]!];
  if (!code) throw new Error(`${name}: unknown IDX type code 0x${bytes[2]!.toString(16)} (expected 08, 09, 0B, 0C, 0D or 0E)`);
  const ndims = bytes[3]!;
  if (ndims === 0) throw new Error(`${name}: IDX header declares 0 dimensions`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  if (options.expectMagic !== undefined && magic !== options.expectMagic) {
    throw new Error(`${name}: IDX magic number ${magic} (0x${hex8(magic)}); expected ${options.expectMagic} (0x${hex8(options.expectMagic)})`);
  }
  const headerBytes = 4 + 4 * ndims;
  if (bytes.length < headerBytes) {
    throw new Error(`${name}: truncated IDX header (${bytes.length} bytes; ${ndims} dimensions need ${headerBytes})`);
  }
  const shape: number[] = [];
  let count = 1;
  for (let d = 0; d < ndims; d++) {
    const size = view.getUint32(4 + 4 * d, false);
    shape.push(size);
    count *= size;
  }
  const expected = count * code.bytes;
  const actual = bytes.length - headerBytes;
  if (actual < expected) {
    throw new Error(
      `${name}: truncated IDX file: the header declares shape [${shape.join(', ')}] of ${code.dtype} ` +
        `(${expected} bytes of data) but only ${actual} bytes follow the header`,
    );
  }
  if (actual > expected) {
    throw new Error(
      `${name}: corrupted IDX file: ${actual - expected} unexpected bytes after the ${expected} bytes of data ` +
        `declared by shape [${shape.join(', ')}] of ${code.dtype}`,
    );
  }
  return { magic, dtype: code.dtype, shape, data: readValues(view, headerBytes, count, code.dtype) };
}

function readValues(view: DataView, offset: number, n: number, dtype: IdxDType): IdxArray['data'] {
  const start = view.byteOffset + offset;
  switch (dtype) {
    case 'uint8':
      return new Uint8Array(view.buffer.slice(start, start + n));
    case 'int8':
      return new Int8Array(view.buffer.slice(start, start + n));
    case 'int16': {
      const out = new Int16Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getInt16(offset + 2 * i, false);
      return out;
    }
    case 'int32': {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getInt32(offset + 4 * i, false);
      return out;
    }
    case 'float32': {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getFloat32(offset + 4 * i, false);
      return out;
    }
    case 'float64': {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getFloat64(offset + 8 * i, false);
      return out;
    }
  }
}

/**
 * An IDX array as a tensor of the same shape. uint8, int8, int32, float32 and float64 keep their
 * type; int16 (which core lacks) becomes int32.
 *
 * @example idxToTensor(parseIdx(bytes)).shape // [10000, 28, 28]
 */
export function idxToTensor(idx: IdxArray): Tensor {
  if (idx.dtype === 'int16') return fromStorage(Int32Array.from(idx.data), idx.shape, 'int32', 'idxToTensor');
  return fromStorage(idx.data as Exclude<IdxArray['data'], Int16Array>, idx.shape, idx.dtype, 'idxToTensor');
}

/**
 * Encodes an array as an (uncompressed) IDX file; the inverse of `parseIdx`.
 *
 * @example encodeIdx({ dtype: 'uint8', shape: [2], data: new Uint8Array([3, 4]) }) // 10 bytes
 */
export function encodeIdx(arr: Omit<IdxArray, 'magic'>): Uint8Array {
  const entry = Object.entries(CODES).find(([, c]) => c.dtype === arr.dtype);
  if (!entry) throw new Error(`encodeIdx: unknown dtype ${arr.dtype}`);
  const [codeStr, { bytes: width }] = entry;
  const count = arr.shape.reduce((a, b) => a * b, 1);
  if (count !== arr.data.length) throw new Error(`encodeIdx: ${arr.data.length} values do not fill shape [${arr.shape.join(', ')}]`);
  const header = 4 + 4 * arr.shape.length;
  const out = new Uint8Array(header + count * width);
  const view = new DataView(out.buffer);
  out[2] = Number(codeStr);
  out[3] = arr.shape.length;
  arr.shape.forEach((s, d) => view.setUint32(4 + 4 * d, s, false));
  for (let i = 0; i < count; i++) {
    const v = arr.data[i]!;
    const o = header + i * width;
    if (arr.dtype === 'uint8') view.setUint8(o, v);
    else if (arr.dtype === 'int8') view.setInt8(o, v);
    else if (arr.dtype === 'int16') view.setInt16(o, v, false);
    else if (arr.dtype === 'int32') view.setInt32(o, v, false);
    else if (arr.dtype === 'float32') view.setFloat32(o, v, false);
    else view.setFloat64(o, v, false);
  }
  return out;
}

function hex8(v: number): string {
  return v.toString(16).padStart(8, '0');
}
