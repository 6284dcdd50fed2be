import { float16BitsToFloat32, type DType, type Tensor } from '@mapnn/core';

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
const SIZES: Record<string, number> = { F32: 4, F64: 8, F16: 2, BF16: 2, I32: 4, I64: 8, I8: 1, U8: 1, BOOL: 1, I16: 2, U16: 2 };

export class SafetensorsError extends Error {
  override name = 'SafetensorsError';
}

/** Encodes tensors (read synchronously) to safetensors bytes. Keys are written in sorted order. */
export function encodeSafetensors(tensors: Record<string, Tensor>, metadata: Record<string, string> = {}): Uint8Array {
  const names = Object.keys(tensors).sort();
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length) header.__metadata__ = metadata;
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const name of names) {
    const t = tensors[name]!;
    const bytes = toBytes(t);
    header[name] = { dtype: CODES[t.dtype], shape: [...t.shape], data_offsets: [offset, offset + bytes.length] };
    chunks.push(bytes);
    offset += bytes.length;
  }
  let json = JSON.stringify(header);
  while ((8 + json.length) % 8 !== 0) json += ' ';
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + head.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  let p = 8 + head.length;
  for (const c of chunks) {
    out.set(c, p);
    p += c.length;
  }
  return out;
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
 * Decodes safetensors bytes. Every structural problem (short file, bad header length, invalid
 * JSON, unknown dtype, offsets outside the data or not matching the shape) is a
 * `SafetensorsError` naming it.
 */
export function decodeSafetensors(bytes: Uint8Array): { tensors: Record<string, SafeTensor>; metadata: Record<string, string> } {
  if (bytes.length < 8) throw new SafetensorsError(`safetensors: file too short (${bytes.length} bytes)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getBigUint64(0, true);
  if (n > BigInt(bytes.length - 8) || n > 100_000_000n) {
    throw new SafetensorsError(`safetensors: header length ${n} exceeds the file (${bytes.length} bytes)`);
  }
  const headerLen = Number(n);
  let header: Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] } | Record<string, string>>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLen)));
  } catch (e) {
    throw new SafetensorsError(`safetensors: header is not valid JSON (${(e as Error).message})`);
  }
  const dataStart = 8 + headerLen;
  const dataLen = bytes.length - dataStart;
  const tensors: Record<string, SafeTensor> = {};
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = entry as Record<string, string>;
      continue;
    }
    const e = entry as { dtype: string; shape: number[]; data_offsets: [number, number] };
    const size = SIZES[e.dtype];
    const dtype = (Object.keys(CODES) as DType[]).find((d) => CODES[d] === e.dtype);
    if (!size || !dtype) throw new SafetensorsError(`safetensors: tensor '${name}' has unsupported dtype ${e.dtype}`);
    if (!Array.isArray(e.shape) || e.shape.some((d) => !Number.isInteger(d) || d < 0)) {
      throw new SafetensorsError(`safetensors: tensor '${name}' has an invalid shape ${JSON.stringify(e.shape)}`);
    }
    const [a, b] = e.data_offsets ?? [];
    const count = e.shape.reduce((s, d) => s * d, 1);
    if (!Number.isInteger(a) || !Number.isInteger(b) || a! < 0 || b! > dataLen || b! - a! !== count * size) {
      throw new SafetensorsError(
        `safetensors: tensor '${name}' offsets ${JSON.stringify(e.data_offsets)} do not hold ${count} ${e.dtype} values within ${dataLen} data bytes`,
      );
    }
    const raw = bytes.slice(dataStart + a!, dataStart + b!);
    tensors[name] = { dtype, shape: [...e.shape], data: fromBytes(raw, e.dtype) };
  }
  return { tensors, metadata };
}

function fromBytes(raw: Uint8Array, code: string): SafeTensor['data'] {
  const buf = raw.buffer;
  switch (code) {
    case 'F32': return new Float32Array(buf);
    case 'F64': return new Float64Array(buf);
    case 'I32': return new Int32Array(buf);
    case 'I8': return new Int8Array(buf);
    case 'U8':
    case 'BOOL': return new Uint8Array(buf);
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
        if (!Number.isSafeInteger(x)) throw new SafetensorsError(`safetensors: int64 value ${v[i]} is outside ±(2^53-1)`);
        out[i] = x;
      }
      return out;
    }
    default:
      throw new SafetensorsError(`safetensors: unsupported dtype ${code}`);
  }
}
