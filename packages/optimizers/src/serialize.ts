import { isFloat, tensor, type DType, type Tensor } from '@mapnn/core';

/**
 * JSON-able forms of optimizer and scheduler state. Tensors become `{dtype, shape, data}` with
 * `data` a plain array; non-finite numbers (JSON has none) become the strings `'Infinity'`,
 * `'-Infinity'` and `'NaN'`, so `JSON.parse(JSON.stringify(state))` restores them exactly.
 */
export type JsonNumber = number | 'Infinity' | '-Infinity' | 'NaN';

/** A tensor in a state dict: dtype, shape and row-major values as a plain array. */
export interface SerializedTensor {
  dtype: DType;
  shape: number[];
  data: JsonNumber[];
}

export function isSerializedTensor(x: unknown): x is SerializedTensor {
  return (
    typeof x === 'object' &&
    x !== null &&
    Array.isArray((x as SerializedTensor).shape) &&
    Array.isArray((x as SerializedTensor).data) &&
    typeof (x as SerializedTensor).dtype === 'string'
  );
}

export function encodeNumber(v: number): JsonNumber {
  if (Number.isFinite(v)) return v;
  return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
}

export function decodeNumber(v: unknown): unknown {
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  if (v === 'NaN') return NaN;
  return v;
}

/** Deep copy of plain data with non-finite numbers encoded (functions and tensors are not allowed). */
export function encodeJson(v: unknown): unknown {
  if (typeof v === 'number') return encodeNumber(v);
  if (Array.isArray(v)) return v.map(encodeJson);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = encodeJson(x);
    return out;
  }
  return v;
}

/** Inverse of `encodeJson` (deep copy). */
export function decodeJson(v: unknown): unknown {
  if (typeof v === 'string') return decodeNumber(v);
  if (Array.isArray(v)) return v.map(decodeJson);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = decodeJson(x);
    return out;
  }
  return v;
}

/** `t` as plain data (reads it synchronously). */
export function serializeTensor(t: Tensor): SerializedTensor {
  return fromValues(t, t.dataSync());
}

/** `t` as plain data, read asynchronously (for backends without synchronous reads). */
export async function serializeTensorAsync(t: Tensor): Promise<SerializedTensor> {
  return fromValues(t, await t.data());
}

function fromValues(t: Tensor, values: ArrayLike<number>): SerializedTensor {
  return { dtype: t.dtype, shape: [...t.shape], data: Array.from(values, encodeNumber) };
}

/**
 * A new tensor from serialized data on the active backend, cast to `like`'s float dtype when
 * both are floats (as PyTorch casts optimizer state to the parameter's dtype on load).
 */
export function deserializeTensor(s: SerializedTensor, likeDType?: DType): Tensor {
  const dtype = likeDType && isFloat(likeDType) && isFloat(s.dtype) ? likeDType : s.dtype;
  return tensor(s.data.map((v) => decodeNumber(v) as number), s.shape, dtype);
}
