import { float16BitsToFloat32, type DType, type Tensor } from '@mapnn/core';
import { ITEM_SIZES, SafetensorsError, parseHeader, type HeaderEntry } from './safetensors-header.js';
import { asBytes, type BytesLike } from './safetensors-bytes.js';
import { encodeRawSafetensors, type RawSafeTensor } from './safetensors-raw.js';

export { SafetensorsError } from './safetensors-header.js';
export { asBytes, type BytesLike } from './safetensors-bytes.js';

/**
 * The safetensors format (readable by PyTorch's `safetensors.torch.load_file` and Hugging Face
 * tools): an 8-byte little-endian header length, a JSON header mapping each tensor name to
 * `{dtype, shape, data_offsets}` (plus optional string `__metadata__`), then the raw
 * little-endian bytes. Browser-safe: works on bytes only.
 */
export interface SafeTensor {
  dtype: DType;
  shape: number[];
  /** Values as numbers (float16 decoded to float32, int64 as exact numbers). */
  data: Float32Array | Float64Array | Int32Array | Int8Array | Uint8Array;
}

const CODES: Record<DType, string> = {
  float32: 'F32', float64: 'F64', float16: 'F16', int32: 'I32', int64: 'I64', int8: 'I8', uint8: 'U8', bool: 'BOOL',
};
const DTYPES: Readonly<Record<string, DType>> = Object.assign(
  Object.create(null),
  Object.fromEntries(Object.entries(CODES).map(([d, c]) => [c, d])),
);

/**
 * Encodes tensors (read synchronously) to safetensors bytes. Keys are written in sorted order.
 * Refuses what `decodeSafetensors` would refuse: a tensor named `__metadata__`, non-string
 * metadata, a dtype without a safetensors code, a shape that is not non-negative integers.
 */
export function encodeSafetensors(tensors: Record<string, Tensor>, metadata: Record<string, string> = {}): Uint8Array {
  for (const [k, v] of Object.entries(metadata)) {
    if (typeof v !== 'string') throw new SafetensorsError(`encodeSafetensors: metadata ${JSON.stringify(k)} must be a string, got ${typeof v}`);
  }
  // null prototype: a tensor named `__proto__` is an ordinary key here
  const raw: Record<string, RawSafeTensor> = Object.create(null);
  for (const name of Object.keys(tensors).sort()) {
    if (name === '__metadata__') throw new SafetensorsError("encodeSafetensors: '__metadata__' is reserved and cannot name a tensor");
    const t = tensors[name]!;
    checkEncodable(name, t);
    raw[name] = { dtype: CODES[t.dtype], shape: [...t.shape], bytes: toBytes(t) };
  }
  return encodeRawSafetensors(raw, metadata);
}

function checkEncodable(name: string, t: Tensor): void {
  const where = `encodeSafetensors: tensor ${JSON.stringify(name)}`;
  if (!(t.dtype in CODES)) throw new SafetensorsError(`${where} has dtype ${t.dtype}; expected one of ${Object.keys(CODES).join(', ')}`);
  if (!t.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new SafetensorsError(`${where} has shape ${JSON.stringify(t.shape)}; expected non-negative integers`);
  }
}

function toBytes(t: Tensor): Uint8Array {
  if (t.dtype === 'float16') {
    // dataSync decodes halves; re-read the raw bits through a cast-free path
    const raw = t.backend.readSync(t.dataId) as Uint16Array;
    return new Uint8Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  }
  const v = t.dataSync();
  if (t.dtype === 'int64') {
    const out = new BigInt64Array(v.length);
    for (let i = 0; i < v.length; i++) out[i] = BigInt(v[i]!);
    return new Uint8Array(out.buffer);
  }
  return new Uint8Array(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength));
}

/**
 * Decodes safetensors bytes — a `Uint8Array`, a Node `Buffer` (as `fs.readFileSync` returns:
 * only its own window of the shared pool is read), any typed-array view or an `ArrayBuffer`.
 * The header is validated as the specification requires (see `parseHeader`); every problem is
 * a `SafetensorsError` naming the tensor and what was expected. Tensor data are copies. The
 * returned records have no prototype, so `__proto__` or `constructor` are ordinary names.
 */
export function decodeSafetensors(input: BytesLike): { tensors: Record<string, SafeTensor>; metadata: Record<string, string> } {
  const bytes = asBytes(input, 'decodeSafetensors');
  const { entries, metadata, dataStart } = parseHeader(bytes);
  const tensors: Record<string, SafeTensor> = Object.create(null);
  for (const e of entries) {
    const dtype = DTYPES[e.code];
    if (!dtype) {
      throw new SafetensorsError(
        `safetensors: tensor ${JSON.stringify(e.name)} has dtype ${e.code}, which mapnn does not read (supported: ${Object.keys(DTYPES).join(', ')})`,
      );
    }
    // a copy: `bytes` may be a view into a larger buffer, and typed arrays need aligned offsets
    const raw = new Uint8Array(e.end - e.begin);
    raw.set(bytes.subarray(dataStart + e.begin, dataStart + e.end));
    tensors[e.name] = { dtype, shape: e.shape, data: fromBytes(raw.buffer, e) };
  }
  return { tensors, metadata };
}

function fromBytes(buf: ArrayBuffer, e: HeaderEntry): SafeTensor['data'] {
  const where = `safetensors: tensor ${JSON.stringify(e.name)}`;
  switch (e.code) {
    case 'F32': return new Float32Array(buf);
    case 'F64': return new Float64Array(buf);
    case 'I32': return new Int32Array(buf);
    case 'I8': return new Int8Array(buf);
    case 'U8': return new Uint8Array(buf);
    case 'BOOL': {
      const v = new Uint8Array(buf);
      const bad = v.findIndex((x) => x > 1);
      if (bad >= 0) throw new SafetensorsError(`${where}: BOOL element ${bad} is byte ${v[bad]}; expected 0 or 1`);
      return v;
    }
    case 'F16': {
      const h = new Uint16Array(buf);
      const out = new Float32Array(h.length);
      for (let i = 0; i < h.length; i++) out[i] = float16BitsToFloat32(h[i]!);
      return out;
    }
    case 'I64': {
      const v = new BigInt64Array(buf);
      const out = new Float64Array(v.length);
      for (let i = 0; i < v.length; i++) {
        const x = Number(v[i]!);
        if (!Number.isSafeInteger(x)) throw new SafetensorsError(`${where}: int64 element ${i} = ${v[i]} is outside ±(2^53-1)`);
        out[i] = x;
      }
      return out;
    }
    default:
      throw new SafetensorsError(`${where}: unsupported dtype ${e.code} (${ITEM_SIZES[e.code] ?? '?'} bytes per element)`);
  }
}
