/**
 * Data types of mapnn tensors and the rules that relate them.
 *
 * - `float32`, `float64`: IEEE floats (float64 serves gradient checks and precise references).
 * - `float16`: a **storage** dtype (IEEE half in a `Uint16Array`). Ops compute in float32 and
 *   round the result back to float16, so low-precision work has a home without every backend
 *   needing half kernels.
 * - `int32`, `int8`, `uint8`: two's-complement integers in their native typed arrays.
 * - `int64`: stored as integral float64 values, exact in ±(2^53 − 1). Values outside that range
 *   (from a `BigInt64Array`, a bigint or a number) are rejected with a `RangeError`, never rounded.
 * - `bool`: 0/1 in a `Uint8Array`.
 */
export type DType = 'float32' | 'float64' | 'float16' | 'int32' | 'int64' | 'int8' | 'uint8' | 'bool';

export const DTYPES: readonly DType[] = ['float32', 'float64', 'float16', 'int32', 'int64', 'int8', 'uint8', 'bool'];

export type TypedArray =
  | Float32Array
  | Float64Array
  | Int32Array
  | Int8Array
  | Uint8Array
  | Uint16Array;

/** Storage constructor used for each dtype. */
export function arrayTypeFor(dtype: DType) {
  switch (dtype) {
    case 'float32':
      return Float32Array;
    case 'float64':
    case 'int64':
      return Float64Array;
    case 'float16':
      return Uint16Array;
    case 'int32':
      return Int32Array;
    case 'int8':
      return Int8Array;
    case 'uint8':
    case 'bool':
      return Uint8Array;
  }
}

export function allocArray(dtype: DType, size: number): TypedArray {
  const Ctor = arrayTypeFor(dtype);
  return new Ctor(size);
}

export function bytesPerElement(dtype: DType): number {
  return arrayTypeFor(dtype).BYTES_PER_ELEMENT;
}

export function isFloat(dtype: DType): boolean {
  return dtype === 'float32' || dtype === 'float64' || dtype === 'float16';
}

export function isInteger(dtype: DType): boolean {
  return dtype === 'int32' || dtype === 'int64' || dtype === 'int8' || dtype === 'uint8';
}

const RANK: Record<DType, number> = {
  bool: 0,
  uint8: 1,
  int8: 1,
  int32: 2,
  int64: 3,
  float16: 4,
  float32: 5,
  float64: 6,
};

/**
 * The dtype two operands are computed in, following PyTorch's promotion lattice:
 * bool < (u)int8 < int32 < int64 < float16 < float32 < float64; uint8 with int8 gives int32
 * (PyTorch gives int16, which mapnn does not have).
 */
export function promoteTypes(a: DType, b: DType): DType {
  if (a === b) return a;
  if ((a === 'uint8' && b === 'int8') || (a === 'int8' && b === 'uint8')) return 'int32';
  return RANK[a] >= RANK[b] ? a : b;
}

/** The float dtype an integer or bool input is promoted to for float-only ops (PyTorch default). */
export function toFloatDType(dtype: DType): DType {
  return isFloat(dtype) ? dtype : 'float32';
}

export const INT64_MAX_SAFE = Number.MAX_SAFE_INTEGER;

/** Throws a RangeError if `v` cannot be held exactly by mapnn's int64 storage. */
export function checkInt64(v: number, where: string): void {
  if (!Number.isFinite(v) || Math.abs(v) > INT64_MAX_SAFE) {
    throw new RangeError(`${where}: ${v} is outside int64 storage range ±(2^53-1)`);
  }
}

// ---------------------------------------------------------------- float16 conversion
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Rounds a number to the nearest IEEE half (ties to even) and returns its 16 bits. */
export function float32ToFloat16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  let e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    if (rem > mid || (rem === mid && (half & 1))) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && (half & 1))) half++;
  return sign | half;
}

export function float16BitsToFloat32(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

/**
 * Converts plain numbers to storage of `dtype`, applying the dtype's conversion rule
 * (truncation toward zero for integers as in PyTorch, 0/1 for bool, half rounding for float16).
 */
export function fromNumbers(values: ArrayLike<number>, dtype: DType): TypedArray {
  const n = values.length;
  const out = allocArray(dtype, n);
  switch (dtype) {
    case 'float16':
      for (let i = 0; i < n; i++) out[i] = float32ToFloat16Bits(values[i]!);
      break;
    case 'bool':
      for (let i = 0; i < n; i++) out[i] = values[i] ? 1 : 0;
      break;
    case 'int64':
      for (let i = 0; i < n; i++) {
        const v = Math.trunc(values[i]!);
        checkInt64(v, 'int64');
        out[i] = v;
      }
      break;
    case 'int32':
    case 'int8':
    case 'uint8':
      for (let i = 0; i < n; i++) out[i] = Math.trunc(values[i]!);
      break;
    default:
      (out as Float32Array).set(values);
  }
  return out;
}

/** Reads storage of `dtype` as plain numbers (float16 bits are decoded). */
export function toNumbers(data: TypedArray, dtype: DType): Float64Array | TypedArray {
  if (dtype !== 'float16') return data;
  const out = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = float16BitsToFloat32(data[i]!);
  return out;
}
