import { ITEM_SIZES, SafetensorsError, parseHeader } from './safetensors-header.js';
import { asBytes, type BytesLike } from './safetensors-bytes.js';

/**
 * One tensor of a safetensors file as the format holds it: its dtype code — any the
 * specification knows (`'F32'`, `'I16'`, `'U16'`, `'BF16'`, …, see `ITEM_SIZES`), including
 * those that have no mapnn dtype — its shape, and its little-endian bytes.
 */
export interface RawSafeTensor {
  dtype: string;
  shape: number[];
  bytes: Uint8Array;
}

const fail = (message: string): never => {
  throw new SafetensorsError(`encodeRawSafetensors: ${message}`);
};

function checkRaw(name: string, t: RawSafeTensor): void {
  const where = `tensor ${JSON.stringify(name)}`;
  const size = ITEM_SIZES[t.dtype];
  if (size === undefined) fail(`${where} has dtype ${JSON.stringify(t.dtype)}; expected one of ${Object.keys(ITEM_SIZES).join(', ')}`);
  if (!Array.isArray(t.shape) || !t.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) fail(`${where} has shape ${JSON.stringify(t.shape)}; expected non-negative integers`);
  const expected = t.shape.reduce((a, d) => a * d, size!);
  if (!(t.bytes instanceof Uint8Array) || t.bytes.length !== expected) {
    fail(`${where} (${t.dtype} ${JSON.stringify(t.shape)}) needs ${expected} bytes, got ${t.bytes instanceof Uint8Array ? t.bytes.length : typeof t.bytes}`);
  }
}

/**
 * Writes a safetensors file from raw tensors (see `RawSafeTensor`): an 8-byte little-endian
 * header length, the JSON header (keys sorted, space-padded so the data start 8-byte aligned),
 * then the bytes. Refuses a tensor named `__metadata__`, non-string metadata, an unknown dtype
 * code, a bad shape, or bytes that do not match dtype and shape.
 */
export function encodeRawSafetensors(tensors: Record<string, RawSafeTensor>, metadata: Record<string, string> = {}): Uint8Array {
  // null prototype: a tensor named `__proto__` is an ordinary key here
  const header: Record<string, unknown> = Object.create(null);
  const meta = Object.entries(metadata);
  for (const [k, v] of meta) if (typeof v !== 'string') fail(`metadata ${JSON.stringify(k)} must be a string, got ${typeof v}`);
  if (meta.length) header.__metadata__ = Object.assign(Object.create(null), metadata);
  const names = Object.keys(tensors).sort();
  let offset = 0;
  for (const name of names) {
    if (name === '__metadata__') fail("'__metadata__' is reserved and cannot name a tensor");
    const t = tensors[name]!;
    checkRaw(name, t);
    header[name] = { dtype: t.dtype, shape: [...t.shape], data_offsets: [offset, offset + t.bytes.length] };
    offset += t.bytes.length;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headLen = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + headLen + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headLen), true);
  out.fill(0x20, 8, 8 + headLen);
  out.set(json, 8);
  let p = 8 + headLen;
  for (const name of names) {
    out.set(tensors[name]!.bytes, p);
    p += tensors[name]!.bytes.length;
  }
  return out;
}

/**
 * Reads a safetensors file into raw tensors (copies of their bytes, any dtype code the
 * specification knows), validating the header as `decodeSafetensors` does.
 */
export function decodeRawSafetensors(input: BytesLike): { tensors: Record<string, RawSafeTensor>; metadata: Record<string, string> } {
  const bytes = asBytes(input, 'decodeRawSafetensors');
  const { entries, metadata, dataStart } = parseHeader(bytes);
  const tensors: Record<string, RawSafeTensor> = Object.create(null);
  for (const e of entries) tensors[e.name] = { dtype: e.code, shape: e.shape, bytes: bytes.slice(dataStart + e.begin, dataStart + e.end) };
  return { tensors, metadata };
}
