import { float16BitsToFloat32, float32ToFloat16Bits, isFloat, noGrad, tidy, type Tensor } from '@mapnn/core';
import type { Module } from '@mapnn/layers';
import { decodeRawSafetensors, encodeRawSafetensors, encodeSafetensors, decodeSafetensors, type RawSafeTensor } from '@mapnn/train';
import { bfloat16BitsToFloat32, float32ToBfloat16Bits } from './bfloat16.js';
import type { HalfDType } from './to-half.js';

const CODE = { float16: 'F16', bfloat16: 'BF16' } as const;

/** Little-endian 16-bit words of the float values of `t` in the half format. */
function halfBytes(t: Tensor, dtype: HalfDType): Uint8Array {
  const src = t.dataSync(); // float16 tensors read back as float32 values, so every float dtype is handled alike
  const out = new Uint8Array(src.length * 2);
  const view = new DataView(out.buffer);
  const toBits = dtype === 'float16' ? float32ToFloat16Bits : float32ToBfloat16Bits;
  for (let i = 0; i < src.length; i++) view.setUint16(2 * i, toBits(src[i]!), true);
  return out;
}

/**
 * A safetensors checkpoint of `model` with every float tensor as F16 or BF16 (about half the
 * bytes of float32; each value rounded to nearest even) and the others as they are — the
 * layout PyTorch writes for `model.half()` / `model.bfloat16()`.
 */
export function encodeHalfSafetensors(model: Module<any, any>, options: { dtype?: HalfDType } = {}): Uint8Array {
  const dtype = options.dtype ?? 'float16';
  const state = model.stateDict() as Record<string, Tensor>;
  const raw: Record<string, RawSafeTensor> = {};
  const rest: Record<string, Tensor> = {};
  for (const [name, t] of Object.entries(state)) {
    if (isFloat(t.dtype)) raw[name] = { dtype: CODE[dtype], shape: [...t.shape], bytes: halfBytes(t, dtype) };
    else rest[name] = t;
  }
  if (Object.keys(rest).length) Object.assign(raw, decodeRawSafetensors(encodeSafetensors(rest)).tensors);
  return encodeRawSafetensors(raw, { format: 'pt' });
}

/** Float32 values of an F16 / BF16 raw tensor. */
function halfValues(t: RawSafeTensor): Float32Array {
  const view = new DataView(t.bytes.buffer, t.bytes.byteOffset, t.bytes.byteLength);
  const fromBits = t.dtype === 'F16' ? float16BitsToFloat32 : bfloat16BitsToFloat32;
  return Float32Array.from({ length: t.bytes.length / 2 }, (_, i) => fromBits(view.getUint16(2 * i, true)));
}

/**
 * Loads a checkpoint of `encodeHalfSafetensors` (or any safetensors file with F16 / BF16
 * tensors) into `model`, widening the half values exactly into the model's float tensors.
 */
export function loadHalfSafetensors<M extends Module<any, any>>(model: M, bytes: Uint8Array): M {
  const { tensors } = decodeRawSafetensors(bytes);
  const state: Record<string, { shape: number[]; data: ArrayLike<number> }> = {};
  const others: Record<string, RawSafeTensor> = {};
  for (const [name, t] of Object.entries(tensors)) {
    if (t.dtype === 'F16' || t.dtype === 'BF16') state[name] = { shape: t.shape, data: halfValues(t) };
    else others[name] = t;
  }
  if (Object.keys(others).length) {
    for (const [name, t] of Object.entries(decodeSafetensors(encodeRawSafetensors(others)).tensors)) state[name] = t;
  }
  tidy(() => noGrad(() => model.loadStateDict(state)));
  return model;
}
