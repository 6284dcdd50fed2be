import { cast, float16BitsToFloat32, float32ToFloat16Bits, isFloat, noGrad, tensor, type Tensor } from '@mapnn/core';
import { buffer, isBuffer, isParameter, parameter, type Module } from '@mapnn/layers';
import { bfloat16BitsToFloat32, float32ToBfloat16Bits } from './bfloat16.js';

/** A 16-bit float format for weights. */
export type HalfDType = 'float16' | 'bfloat16';

export interface ToHalfOptions {
  /** 'float16' (IEEE half, default) or 'bfloat16' (float32's upper 16 bits). */
  dtype?: HalfDType;
}

/** The value of `v` rounded to the half format (as a number). */
export function roundToHalf(v: number, dtype: HalfDType): number {
  return dtype === 'float16' ? float16BitsToFloat32(float32ToFloat16Bits(v)) : bfloat16BitsToFloat32(float32ToBfloat16Bits(v));
}

/** The tensor that replaces a float tensor under `toHalf`. */
function halved(t: Tensor, dtype: HalfDType): Tensor {
  if (dtype === 'float16') return cast(t, 'float16');
  const values = Float32Array.from(t.dataSync(), (v) => roundToHalf(v, 'bfloat16'));
  return tensor(values, t.shape, t.dtype);
}

/**
 * Low-precision weight storage, in place: every float parameter and buffer of `model` is
 * rounded to the half format (round to nearest even). With 'float16' the tensors become
 * core's float16 dtype (two bytes each; ops compute in float32 and round back to float16);
 * core has no bfloat16 dtype, so with 'bfloat16' they stay float32 tensors holding
 * bfloat16-representable values. `encodeHalfSafetensors` writes either as a checkpoint of
 * half the bytes (F16 / BF16). Build optimizers afresh: the tensors are replaced. Returns the
 * names of the tensors converted.
 */
export function toHalf<M extends Module<any, any>>(model: M, options: ToHalfOptions = {}): string[] {
  const dtype = options.dtype ?? 'float16';
  if (dtype !== 'float16' && dtype !== 'bfloat16') throw new TypeError(`toHalf: dtype must be 'float16' or 'bfloat16', got '${String(dtype)}'`);
  const done: string[] = [];
  for (const [prefix, m] of model.namedModules()) {
    const p = m as unknown as Record<string, unknown>;
    for (const [key, v] of Object.entries(p)) {
      if (!(isParameter(v) || isBuffer(v)) || !isFloat(v.dtype)) continue;
      const next = noGrad(() => halved(v, dtype));
      p[key] = isParameter(v) ? parameter(next) : buffer(next);
      v.dispose();
      done.push(prefix ? `${prefix}.${key}` : key);
    }
  }
  return done;
}
