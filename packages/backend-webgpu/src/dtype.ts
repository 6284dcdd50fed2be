/**
 * How mapnn dtypes are stored on the GPU. Every element is one 32-bit word, so movement
 * kernels copy words whatever the dtype and there are only two arithmetic kinds:
 *
 * | dtype | word | notes |
 * |---|---|---|
 * | float32 | f32 | |
 * | float64 | f32 | **no f64 on WebGPU**: values are rounded to float32 on upload and computed in float32 |
 * | float16 | f32 | holds half-representable values; every float16 result is rounded to half (ties to even) |
 * | int32 | i32 | |
 * | int64 | i32 | computed in 32 bits (wraps at ±2³¹); values outside that range are kept exactly on the host and refused by kernels |
 * | int8, uint8 | i32 | results wrap to 8 bits as in the cpu backend |
 * | bool | i32 | 0 or 1 |
 */
import {
  float16BitsToFloat32,
  float32ToFloat16Bits,
  type DType,
  type TypedArray,
} from '@mapnn/core/backend';

/** The WGSL scalar type a dtype is computed in. */
export type Kind = 'f32' | 'i32';

export function kindOf(dtype: DType): Kind {
  return dtype === 'float32' || dtype === 'float64' || dtype === 'float16' ? 'f32' : 'i32';
}

export const INT32_MIN = -(2 ** 31);
export const INT32_MAX = 2 ** 31 - 1;

/** Values of `dtype` storage as GPU words; `wide` is the first int64 value outside 32 bits, if any. */
export function toWords(values: TypedArray, dtype: DType): { words: Float32Array | Int32Array; wide?: number } {
  const n = values.length;
  switch (dtype) {
    case 'float32':
      return { words: values instanceof Float32Array ? values : Float32Array.from(values) };
    case 'float64':
      return { words: Float32Array.from(values) };
    case 'float16': {
      const w = new Float32Array(n);
      for (let i = 0; i < n; i++) w[i] = float16BitsToFloat32(values[i]!);
      return { words: w };
    }
    case 'int32':
      return { words: values instanceof Int32Array ? values : Int32Array.from(values) };
    case 'int64': {
      const w = new Int32Array(n);
      let wide: number | undefined;
      for (let i = 0; i < n; i++) {
        const v = values[i]!;
        if (wide === undefined && (v < INT32_MIN || v > INT32_MAX)) wide = v;
        w[i] = v;
      }
      return wide === undefined ? { words: w } : { words: w, wide };
    }
    default:
      return { words: Int32Array.from(values) };
  }
}

/** GPU words (`buffer`, `size` elements) back as `dtype` storage (float16 as bits, int64 as float64). */
export function fromWords(buffer: ArrayBuffer, dtype: DType, size: number): TypedArray {
  if (kindOf(dtype) === 'f32') {
    const f = new Float32Array(buffer, 0, size);
    if (dtype === 'float32') return f.slice();
    if (dtype === 'float64') return Float64Array.from(f);
    const h = new Uint16Array(size);
    for (let i = 0; i < size; i++) h[i] = float32ToFloat16Bits(f[i]!);
    return h;
  }
  const w = new Int32Array(buffer, 0, size);
  switch (dtype) {
    case 'int32':
      return w.slice();
    case 'int64':
      return Float64Array.from(w);
    case 'int8':
      return Int8Array.from(w);
    default:
      return Uint8Array.from(w);
  }
}

/**
 * WGSL expression that brings a computed value `v` (of the dtype's kind) into the dtype's
 * range: 8-bit integers wrap, bool becomes 0/1, float16 rounds to half.
 */
export function wrapExpr(dtype: DType, v: string): string {
  switch (dtype) {
    case 'int8':
      return `((${v}) << 24u) >> 24u`;
    case 'uint8':
      return `(${v}) & 255`;
    case 'bool':
      return `select(0, 1, (${v}) != 0)`;
    case 'float16':
      return `roundHalf(${v})`;
    default:
      return v;
  }
}
