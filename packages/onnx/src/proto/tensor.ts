import { fromStorage, type DType, type Tensor, type TypedArray } from '@mapnn/core';
import { OnnxImportError } from '../errors.js';
import { longToNumber, INT64_SAT } from './long.js';
import { DataType, dataTypeName, type ITensorProto } from './onnx.js';

/**
 * A tensor decoded from a TensorProto, still on the host: values in mapnn's storage format for
 * `dtype` (float16 as IEEE half bits, int64 as integral float64, bool as 0/1 bytes).
 */
export interface HostTensor {
  name: string;
  dtype: DType;
  shape: number[];
  data: TypedArray;
  /** The TensorProto data type it was read from (mapnn widens int16/uint16 to int32, uint32/uint64 to int64, bfloat16 to float32). */
  onnxType: number;
}

/** Location of a tensor's bytes outside the model (`data_location = EXTERNAL`). */
export interface ExternalDataRef {
  location: string;
  offset: number;
  /** Bytes to read; undefined = to the end of the file. */
  length: number | undefined;
  tensorName: string;
}

/** Reads external tensor data; the Node entry provides one that reads files beside the model. */
export type ExternalDataReader = (ref: ExternalDataRef) => Uint8Array;

export interface TensorDecodeOptions {
  /** Largest element count a tensor may claim (default 2^30); larger claims are rejected before allocating. */
  maxElements?: number;
  externalData?: ExternalDataReader;
}

export const DEFAULT_MAX_ELEMENTS = 2 ** 30;

/** The mapnn dtype an ONNX data type is read as, or null when mapnn cannot hold it. */
export function dtypeFromOnnx(t: number): DType | null {
  switch (t) {
    case DataType.FLOAT:
    case DataType.BFLOAT16:
      return 'float32';
    case DataType.DOUBLE:
      return 'float64';
    case DataType.FLOAT16:
      return 'float16';
    case DataType.INT32:
    case DataType.INT16:
    case DataType.UINT16:
      return 'int32';
    case DataType.INT64:
    case DataType.UINT32:
    case DataType.UINT64:
      return 'int64';
    case DataType.INT8:
      return 'int8';
    case DataType.UINT8:
      return 'uint8';
    case DataType.BOOL:
      return 'bool';
    default:
      return null;
  }
}

/** The ONNX data type that holds a mapnn dtype exactly. */
export function onnxFromDtype(d: DType): number {
  switch (d) {
    case 'float32':
      return DataType.FLOAT;
    case 'float64':
      return DataType.DOUBLE;
    case 'float16':
      return DataType.FLOAT16;
    case 'int32':
      return DataType.INT32;
    case 'int64':
      return DataType.INT64;
    case 'int8':
      return DataType.INT8;
    case 'uint8':
      return DataType.UINT8;
    case 'bool':
      return DataType.BOOL;
  }
}

/** Resolves an ONNX data type to a mapnn dtype or throws a clear OnnxImportError. */
export function requireDtype(t: number, where: string): DType {
  const d = dtypeFromOnnx(t);
  if (!d) {
    throw new OnnxImportError(
      `${where}: data type ${dataTypeName(t)} is not supported (mapnn holds float, double, float16, bfloat16→float32, ` +
        `int8/16/32/64, uint8/16/32/64, bool)`,
      { where },
    );
  }
  return d;
}

const BYTES: Record<number, number> = {
  [DataType.FLOAT]: 4,
  [DataType.UINT8]: 1,
  [DataType.INT8]: 1,
  [DataType.UINT16]: 2,
  [DataType.INT16]: 2,
  [DataType.INT32]: 4,
  [DataType.INT64]: 8,
  [DataType.BOOL]: 1,
  [DataType.FLOAT16]: 2,
  [DataType.DOUBLE]: 8,
  [DataType.UINT32]: 4,
  [DataType.UINT64]: 8,
  [DataType.BFLOAT16]: 2,
};

/** Validated dims of a TensorProto and their element count. */
export function checkedDims(dimsIn: readonly unknown[] | null | undefined, where: string, maxElements = DEFAULT_MAX_ELEMENTS): { shape: number[]; size: number } {
  const shape: number[] = [];
  let size = 1;
  for (const d of dimsIn ?? []) {
    const n = longToNumber(d);
    if (!Number.isInteger(n) || n < 0) throw new OnnxImportError(`${where}: invalid dim ${n} in shape`, { where });
    shape.push(n);
    size *= n;
  }
  if (shape.length > 32) throw new OnnxImportError(`${where}: rank ${shape.length} is too large (at most 32 dims)`, { where });
  if (size > maxElements) {
    throw new OnnxImportError(
      `${where}: shape [${shape.join(',')}] claims ${size} elements, more than the limit of ${maxElements}; refusing to allocate`,
      { where },
    );
  }
  return { shape, size };
}

function rawBytes(t: ITensorProto, where: string, opts: TensorDecodeOptions): Uint8Array | null {
  if (t.dataLocation === 1) {
    const entries = new Map((t.externalData ?? []).map((e) => [e.key ?? '', e.value ?? '']));
    const location = entries.get('location');
    if (!location) throw new OnnxImportError(`${where}: external data without a 'location'`, { where });
    const offset = entries.has('offset') ? Number(entries.get('offset')) : 0;
    const length = entries.has('length') ? Number(entries.get('length')) : undefined;
    if (!Number.isSafeInteger(offset) || offset < 0 || (length !== undefined && (!Number.isSafeInteger(length) || length < 0))) {
      throw new OnnxImportError(`${where}: invalid external data offset/length (${entries.get('offset')}, ${entries.get('length')})`, { where });
    }
    if (!opts.externalData) {
      throw new OnnxImportError(
        `${where}: the tensor's data is stored in an external file '${location}'; import the model with ` +
          `importOnnxFile() from '@mapnn/onnx/node' (or pass options.externalData)`,
        { where },
      );
    }
    return opts.externalData({ location, offset, length, tensorName: t.name ?? '' });
  }
  return t.rawData && t.rawData.length > 0 ? t.rawData : null;
}

/**
 * Decodes a TensorProto into host storage. Little-endian `raw_data` and the typed fields
 * (`float_data`, `int32_data`, `int64_data`, `double_data`, `uint64_data`) are read; dims are
 * checked against `maxElements` and against the data actually present before anything is
 * allocated. Unsupported types (string, complex, float8) throw an OnnxImportError.
 */
export function decodeTensor(t: ITensorProto, opts: TensorDecodeOptions = {}): HostTensor {
  const name = t.name ?? '';
  const where = `tensor '${name}'`;
  const onnxType = t.dataType ?? 0;
  if (t.segment) throw new OnnxImportError(`${where}: segmented tensors are not supported`, { where });
  const dtype = requireDtype(onnxType, where);
  const { shape, size } = checkedDims(t.dims, where, opts.maxElements);
  const raw = rawBytes(t, where, opts);
  const data = raw ? fromRaw(raw, onnxType, size, where) : fromTyped(t, onnxType, size, where);
  return { name, dtype, shape, data, onnxType };
}

function fromRaw(raw: Uint8Array, onnxType: number, size: number, where: string): TypedArray {
  const bpe = BYTES[onnxType]!;
  if (raw.length !== size * bpe) {
    throw new OnnxImportError(
      `${where}: raw_data holds ${raw.length} bytes but the shape needs ${size} × ${bpe} = ${size * bpe}`,
      { where },
    );
  }
  const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  switch (onnxType) {
    case DataType.FLOAT: {
      const out = new Float32Array(size);
      for (let i = 0; i < size; i++) out[i] = dv.getFloat32(i * 4, true);
      return out;
    }
    case DataType.DOUBLE: {
      const out = new Float64Array(size);
      for (let i = 0; i < size; i++) out[i] = dv.getFloat64(i * 8, true);
      return out;
    }
    case DataType.FLOAT16: {
      const out = new Uint16Array(size);
      for (let i = 0; i < size; i++) out[i] = dv.getUint16(i * 2, true);
      return out;
    }
    case DataType.BFLOAT16: {
      const out = new Float32Array(size);
      const u = new Uint32Array(out.buffer);
      for (let i = 0; i < size; i++) u[i] = dv.getUint16(i * 2, true) << 16;
      return out;
    }
    case DataType.INT32: {
      const out = new Int32Array(size);
      for (let i = 0; i < size; i++) out[i] = dv.getInt32(i * 4, true);
      return out;
    }
    case DataType.INT16: {
      const out = new Int32Array(size);
      for (let i = 0; i < size; i++) out[i] = dv.getInt16(i * 2, true);
      return out;
    }
    case DataType.UINT16: {
      const out = new Int32Array(size);
      for (let i = 0; i < size; i++) out[i] = dv.getUint16(i * 2, true);
      return out;
    }
    case DataType.UINT32: {
      const out = new Float64Array(size);
      for (let i = 0; i < size; i++) out[i] = dv.getUint32(i * 4, true);
      return out;
    }
    case DataType.INT64:
    case DataType.UINT64: {
      const out = new Float64Array(size);
      const signed = onnxType === DataType.INT64;
      for (let i = 0; i < size; i++) {
        const lo = dv.getUint32(i * 8, true);
        const hi = signed ? dv.getInt32(i * 8 + 4, true) : dv.getUint32(i * 8 + 4, true);
        const v = hi * 4294967296 + lo;
        out[i] = v > INT64_SAT ? INT64_SAT : v < -INT64_SAT ? -INT64_SAT : v;
      }
      return out;
    }
    case DataType.INT8:
      return new Int8Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + size));
    case DataType.UINT8:
      return new Uint8Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + size));
    case DataType.BOOL: {
      const out = new Uint8Array(size);
      for (let i = 0; i < size; i++) out[i] = raw[i] ? 1 : 0;
      return out;
    }
  }
  throw new OnnxImportError(`${where}: data type ${dataTypeName(onnxType)} is not supported`, { where });
}

function fromTyped(t: ITensorProto, onnxType: number, size: number, where: string): TypedArray {
  let src: readonly unknown[];
  let field: string;
  switch (onnxType) {
    case DataType.FLOAT:
      src = t.floatData ?? [];
      field = 'float_data';
      break;
    case DataType.DOUBLE:
      src = t.doubleData ?? [];
      field = 'double_data';
      break;
    case DataType.INT64:
      src = t.int64Data ?? [];
      field = 'int64_data';
      break;
    case DataType.UINT32:
    case DataType.UINT64:
      src = t.uint64Data ?? [];
      field = 'uint64_data';
      break;
    default:
      src = t.int32Data ?? [];
      field = 'int32_data';
  }
  if (src.length !== size) {
    throw new OnnxImportError(`${where}: ${field} holds ${src.length} values but the shape needs ${size}`, { where });
  }
  switch (onnxType) {
    case DataType.FLOAT:
      return Float32Array.from(src as number[]);
    case DataType.DOUBLE:
      return Float64Array.from(src as number[]);
    case DataType.INT64:
    case DataType.UINT32:
    case DataType.UINT64: {
      const out = new Float64Array(size);
      for (let i = 0; i < size; i++) out[i] = longToNumber(src[i]);
      return out;
    }
    case DataType.FLOAT16: {
      const out = new Uint16Array(size);
      for (let i = 0; i < size; i++) out[i] = (src[i] as number) & 0xffff;
      return out;
    }
    case DataType.BFLOAT16: {
      const out = new Float32Array(size);
      const u = new Uint32Array(out.buffer);
      for (let i = 0; i < size; i++) u[i] = ((src[i] as number) & 0xffff) << 16;
      return out;
    }
    case DataType.BOOL: {
      const out = new Uint8Array(size);
      for (let i = 0; i < size; i++) out[i] = src[i] ? 1 : 0;
      return out;
    }
    case DataType.INT8:
      return Int8Array.from(src as number[]);
    case DataType.UINT8:
      return Uint8Array.from(src as number[]);
    case DataType.INT32:
    case DataType.INT16:
    case DataType.UINT16:
      return Int32Array.from(src as number[]);
  }
  throw new OnnxImportError(`${where}: data type ${dataTypeName(onnxType)} is not supported`, { where });
}

/** Uploads a host tensor to the active backend. */
export function hostToTensor(h: HostTensor): Tensor {
  return fromStorage(h.data, h.shape, h.dtype, 'onnx');
}

/** Decodes a TensorProto straight into a mapnn tensor on the active backend. */
export function tensorFromProto(t: ITensorProto, opts: TensorDecodeOptions = {}): Tensor {
  return hostToTensor(decodeTensor(t, opts));
}
