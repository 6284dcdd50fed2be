/**
 * Parsing and validation of a safetensors header, as the format's specification (and its Rust
 * reference implementation) requires: an 8-byte little-endian length, then a UTF-8 JSON object
 * mapping tensor names to `{dtype, shape, data_offsets}` (plus an optional string→string
 * `__metadata__`), whose offsets, sorted, tile the data buffer exactly — no gaps, no overlaps,
 * no trailing bytes. Every problem is a `SafetensorsError` naming the tensor and what was expected.
 */

export class SafetensorsError extends Error {
  override name = 'SafetensorsError';
}

/** Bytes per element of every dtype the specification knows (sub-byte float types excluded). */
export const ITEM_SIZES: Readonly<Record<string, number>> = Object.freeze(Object.assign(Object.create(null), {
  BOOL: 1, U8: 1, I8: 1, F8_E5M2: 1, F8_E4M3: 1, F8_E8M0: 1, I16: 2, U16: 2, F16: 2, BF16: 2,
  I32: 4, U32: 4, F32: 4, F64: 8, I64: 8, U64: 8, C64: 8,
}));

/** The safetensors reference implementation's limit on the header length. */
export const MAX_HEADER_BYTES = 100_000_000;

/** One validated tensor entry: offsets are relative to the start of the data buffer. */
export interface HeaderEntry {
  name: string;
  code: string;
  shape: number[];
  begin: number;
  end: number;
}

export interface ParsedHeader {
  entries: HeaderEntry[];
  metadata: Record<string, string>;
  /** Absolute byte offset of the data buffer in the file. */
  dataStart: number;
}

const fail = (message: string): never => {
  throw new SafetensorsError(`safetensors: ${message}`);
};
const show = (v: unknown): string => (v === undefined ? 'undefined' : JSON.stringify(v) ?? String(v));
const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNonNegativeInt = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

/** Reads and validates the header of `bytes` (the whole file). */
export function parseHeader(bytes: Uint8Array): ParsedHeader {
  if (bytes.length < 8) fail(`file too short (${bytes.length} bytes; expected at least the 8-byte header length)`);
  const n = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER_BYTES)) fail(`header length ${n} exceeds the limit of ${MAX_HEADER_BYTES} bytes`);
  if (n > BigInt(bytes.length - 8)) fail(`header length ${n} exceeds the file (${bytes.length} bytes, so at most ${bytes.length - 8})`);
  const dataStart = 8 + Number(n);
  const json = parseJson(bytes.subarray(8, dataStart));
  if (!isPlainObject(json)) fail(`header must be a JSON object, got ${Array.isArray(json) ? 'an array' : show(json)}`);
  const header = json as Record<string, unknown>;
  let metadata: Record<string, string> = Object.create(null);
  const entries: HeaderEntry[] = [];
  for (const name of Object.keys(header)) {
    if (name === '__metadata__') metadata = metadataOf(header[name]);
    else entries.push(entryOf(name, header[name]));
  }
  checkLayout(entries, bytes.length - dataStart);
  return { entries, metadata, dataStart };
}

function parseJson(head: Uint8Array): unknown {
  if (head[0] !== 0x7b) fail(`header must start with '{', got ${head.length ? `byte 0x${head[0]!.toString(16).padStart(2, '0')}` : 'an empty header'}`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(head);
  } catch {
    return fail('header is not valid UTF-8');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return fail(`header is not valid JSON (${(e as Error).message})`);
  }
  const dup = firstDuplicateKey(text);
  if (dup !== undefined) fail(`header has the key ${show(dup)} twice (each name must appear once)`);
  return value;
}

/**
 * The first key that appears twice in one object of the (already valid) JSON `text`, or
 * undefined. `JSON.parse` silently keeps the last one, so duplicates are found by a scan.
 */
export function firstDuplicateKey(text: string): string | undefined {
  type Level = { keys: Set<string>; expectKey: boolean } | null; // null: an array
  const stack: Level[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const top = stack[stack.length - 1];
    if (c === '{') stack.push({ keys: new Set(), expectKey: true });
    else if (c === '[') stack.push(null);
    else if (c === '}' || c === ']') stack.pop();
    else if (c === ',' && top) top.expectKey = true;
    else if (c === '"') {
      const start = i;
      for (i++; text[i] !== '"'; i++) if (text[i] === '\\') i++;
      if (top?.expectKey) {
        const key = JSON.parse(text.slice(start, i + 1)) as string;
        if (top.keys.has(key)) return key;
        top.keys.add(key);
        top.expectKey = false;
      }
    }
  }
  return undefined;
}

function metadataOf(v: unknown): Record<string, string> {
  if (!isPlainObject(v)) fail(`__metadata__ must be an object of strings, got ${show(v)}`);
  const out: Record<string, string> = Object.create(null);
  for (const [k, s] of Object.entries(v as Record<string, unknown>)) {
    if (typeof s !== 'string') fail(`__metadata__ value of ${show(k)} must be a string, got ${show(s)}`);
    out[k] = s as string;
  }
  return out;
}

function entryOf(name: string, v: unknown): HeaderEntry {
  const where = `tensor ${show(name)}`;
  if (!isPlainObject(v)) fail(`${where} must be an object {dtype, shape, data_offsets}, got ${show(v)}`);
  const { dtype, shape, data_offsets: offsets } = v as Record<string, unknown>;
  if (typeof dtype !== 'string' || !(dtype in ITEM_SIZES)) {
    fail(`${where} has dtype ${show(dtype)}; expected one of ${Object.keys(ITEM_SIZES).join(', ')}`);
  }
  if (!Array.isArray(shape) || !shape.every(isNonNegativeInt)) {
    fail(`${where} has shape ${show(shape)}; expected an array of non-negative integers`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isNonNegativeInt) || offsets[0] > offsets[1]) {
    fail(`${where} has data_offsets ${show(offsets)}; expected [begin, end] with 0 <= begin <= end`);
  }
  const [begin, end] = offsets as [number, number];
  const expected = byteLength(where, dtype as string, shape as number[]);
  if (end - begin !== expected) {
    fail(`${where} (${dtype} ${show(shape)}) needs ${expected} bytes but data_offsets ${show(offsets)} hold ${end - begin}`);
  }
  return { name, code: dtype as string, shape: [...(shape as number[])], begin, end };
}

function byteLength(where: string, code: string, shape: number[]): number {
  let bytes = ITEM_SIZES[code]!;
  for (const d of shape) {
    bytes *= d;
    if (!Number.isSafeInteger(bytes)) fail(`${where} has shape ${show(shape)}, too large (more than 2^53 bytes)`);
  }
  return bytes;
}

/** Sorted by offsets, the tensors must tile [0, dataLength) exactly. */
function checkLayout(entries: HeaderEntry[], dataLength: number): void {
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  for (const e of sorted) {
    if (e.begin > cursor) fail(`tensor ${show(e.name)} starts at data byte ${e.begin}, leaving a gap after byte ${cursor} (tensors must be contiguous)`);
    if (e.begin < cursor) fail(`tensor ${show(e.name)} starts at data byte ${e.begin}, overlapping the previous tensor that ends at ${cursor}`);
    cursor = e.end;
  }
  if (cursor > dataLength) {
    fail(`tensor ${show(sorted.at(-1)!.name)} ends at data byte ${cursor} but the file holds only ${dataLength} data bytes (truncated?)`);
  }
  if (cursor < dataLength) fail(`${dataLength - cursor} trailing bytes after the last tensor (the data buffer is ${dataLength} bytes, tensors cover ${cursor})`);
}
