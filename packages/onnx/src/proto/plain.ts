/**
 * The bridge between @bufbuild/protobuf messages and the plain objects the rest of the package
 * reads and writes (the shape protobufjs used to give, so every call site stays the same):
 *
 * - field names are camelCase (`opsetImport`, `rawData`); oneof members are plain fields
 *   (`type.tensorType`, `dim.dimValue`), not `{ case, value }`;
 * - a decoded message has its repeated fields as own (mutable) arrays and own properties for the
 *   other fields that are set; unset ones read their defaults (`''`, `0`, an empty `Uint8Array`,
 *   `null` for a message) through its prototype;
 * - int64/uint64 values are numbers when exact (|v| ≤ 2^53 − 1) and bigints beyond, so no
 *   precision is lost silently; encoding takes numbers, bigints, decimal strings or Long-likes;
 * - fields this schema does not know are kept and written back unchanged.
 */
import { create, fromBinary, ScalarType, toBinary, type DescField, type DescMessage, type Message } from '@bufbuild/protobuf';

/** An int64/uint64 field value: a number when exact, else a bigint (decoded); also accepted when encoding. */
export type Int64 = number | bigint;

type PlainValue<T> = T extends bigint
  ? Int64
  : T extends Uint8Array
    ? Uint8Array
    : T extends readonly (infer E)[]
      ? PlainValue<E>[]
      : T extends Message
        ? Plain<T>
        : T extends number
          ? number
          : T;
type OneofKeys<T> = { [K in keyof T]-?: T[K] extends { case: string | undefined } ? K : never }[keyof T];
type OneofCase<O> = Extract<O, { case: string }>['case'];
type OneofMembers<O> = {
  [C in OneofCase<O>]?: (Extract<O, { case: C }> extends { value: infer V } ? PlainValue<V> : never) | null;
};
type OneofFields<T> = [OneofKeys<T>] extends [never] ? unknown : OneofMembers<T[OneofKeys<T>]>;

/** A message as a plain object: every field optional (and nullable), oneof members flattened. */
export type Plain<T extends Message> = {
  -readonly [K in Exclude<keyof T, '$typeName' | '$unknown' | OneofKeys<T>>]?: PlainValue<T[K]> | null;
} & OneofFields<T>;

type Obj = Record<string, unknown>;

const MAX_EXACT = BigInt(Number.MAX_SAFE_INTEGER);
const INT64_SCALARS = new Set([ScalarType.INT64, ScalarType.UINT64, ScalarType.SINT64, ScalarType.FIXED64, ScalarType.SFIXED64]);
const EMPTY_BYTES = new Uint8Array(0);

const isInt64Field = (f: DescField): boolean =>
  (f.fieldKind === 'scalar' || (f.fieldKind === 'list' && f.listKind === 'scalar')) && INT64_SCALARS.has(f.scalar);

function int64Out(v: bigint): Int64 {
  return v >= -MAX_EXACT && v <= MAX_EXACT ? Number(v) : v;
}

function int64In(v: unknown, where: string): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return BigInt(v.trim());
  if (v && typeof v === 'object' && 'low' in v && 'high' in v) {
    const { low, high, unsigned } = v as { low: number; high: number; unsigned?: boolean };
    const hi = unsigned ? BigInt(high >>> 0) : BigInt(high | 0);
    return (hi << 32n) | BigInt(low >>> 0);
  }
  throw new TypeError(`${where}: expected an integer (number, bigint or decimal string) for an int64 field, got ${String(v)}`);
}

// ---- decoding: message → plain object ----

const prototypes = new WeakMap<DescMessage, object>();

function defaultOf(f: DescField): unknown {
  if (f.fieldKind === 'message') return null;
  if (f.fieldKind === 'enum') return f.enum.values[0]?.number ?? 0;
  if (f.fieldKind !== 'scalar') return undefined;
  if (INT64_SCALARS.has(f.scalar)) return 0;
  if (f.scalar === ScalarType.STRING) return '';
  if (f.scalar === ScalarType.BYTES) return EMPTY_BYTES;
  if (f.scalar === ScalarType.BOOL) return false;
  return 0;
}

/** The shared prototype of decoded `desc` messages: the field defaults, as protobufjs had them. */
function prototypeOf(desc: DescMessage): object {
  let proto = prototypes.get(desc);
  if (!proto) {
    proto = Object.create(Object.prototype) as object;
    for (const f of desc.fields) Object.defineProperty(proto, f.localName, { value: defaultOf(f), writable: true, configurable: true });
    prototypes.set(desc, proto);
  }
  return proto;
}

function isDefault(f: DescField, v: unknown): boolean {
  if (f.fieldKind === 'list') return false; // always an own array
  if (f.fieldKind === 'message') return v === undefined;
  if (v instanceof Uint8Array) return v.length === 0;
  return v === 0 || v === 0n || v === '' || v === false;
}

function valueOut(f: DescField, v: unknown): unknown {
  if (f.fieldKind === 'message') return toPlain(f.message, v as Obj);
  if (f.fieldKind === 'list') {
    const list = v as unknown[];
    if (f.listKind === 'message') return list.map((m) => toPlain(f.message, m as Obj));
    return isInt64Field(f) ? list.map((x) => int64Out(x as bigint)) : Array.from(list);
  }
  return isInt64Field(f) ? int64Out(v as bigint) : v;
}

/** A decoded message as a plain object (see the module comment). */
export function toPlain(desc: DescMessage, msg: Obj): Obj {
  const out = Object.create(prototypeOf(desc)) as Obj;
  for (const f of desc.fields) {
    let v: unknown;
    if (f.oneof) {
      const o = msg[f.oneof.localName] as { case?: string; value?: unknown };
      if (o.case !== f.localName) continue;
      v = o.value;
    } else {
      v = msg[f.localName];
      if (isDefault(f, v)) continue;
    }
    out[f.localName] = valueOut(f, v);
  }
  const unknown = msg.$unknown;
  if (Array.isArray(unknown) && unknown.length) Object.defineProperty(out, '$unknown', { value: unknown, writable: true, configurable: true });
  return out;
}

// ---- encoding: plain object → message ----

function valueIn(f: DescField, v: unknown, where: string): unknown {
  if (f.fieldKind === 'message') return fromPlain(f.message, v as Obj, where);
  if (f.fieldKind === 'list') {
    if (!Array.isArray(v) && !ArrayBuffer.isView(v)) throw new TypeError(`${where}: expected an array, got ${typeof v}`);
    const list = Array.from(v as ArrayLike<unknown>);
    if (f.listKind === 'message') return list.map((m, i) => fromPlain(f.message, m as Obj, `${where}[${i}]`));
    return isInt64Field(f) ? list.map((x, i) => int64In(x, `${where}[${i}]`)) : list;
  }
  return isInt64Field(f) ? int64In(v, where) : v;
}

/** A message of `desc` built from a plain object (null and undefined fields are unset). */
export function fromPlain(desc: DescMessage, obj: Obj, where: string = desc.name): Message {
  if (!obj || typeof obj !== 'object') throw new TypeError(`${where}: expected a ${desc.name} object, got ${obj === null ? 'null' : typeof obj}`);
  const init: Obj = {};
  for (const f of desc.fields) {
    const v = obj[f.localName];
    if (v === null || v === undefined) continue;
    const value = valueIn(f, v, `${where}.${f.localName}`);
    if (f.oneof) init[f.oneof.localName] = { case: f.localName, value };
    else init[f.localName] = value;
  }
  const msg = create(desc, init as never) as Message & Obj;
  const unknown = (obj as { $unknown?: unknown }).$unknown;
  if (Array.isArray(unknown)) msg.$unknown = unknown;
  return msg;
}

/** Decodes bytes of a `desc` message into a plain object; protobuf errors are thrown as they come. */
export function decodePlain(desc: DescMessage, bytes: Uint8Array): Obj {
  return toPlain(desc, fromBinary(desc, bytes) as unknown as Obj);
}

/** Serializes a plain object as a `desc` message. */
export function encodePlain(desc: DescMessage, obj: Obj): Uint8Array {
  return toBinary(desc, fromPlain(desc, obj) as never);
}
