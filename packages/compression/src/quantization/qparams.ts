import { roundHalfEven } from '../pruning/amount.js';

/** The integer types of ONNX QuantizeLinear / DequantizeLinear this package writes. */
export type QuantDType = 'int8' | 'uint8';

/** Scale and zero point of one quantized tensor (or one channel of it), as ONNX QuantizeLinear takes them. */
export interface QParams {
  /** float32 scale (> 0). */
  scale: number;
  /** Integer zero point in the range of `dtype`. */
  zeroPoint: number;
  dtype: QuantDType;
}

/**
 * [qmin, qmax] of a quantized type. Symmetric int8 uses [−127, 127] so that the range is
 * centred on 0 (ONNX Runtime's `get_qmin_qmax_for_qType(symmetric=True)`, PyTorch's
 * `qint8` with symmetric weights likewise never produces −128 from a symmetric range).
 * `reduceRange` is ONNX Runtime's 7-bit range (int8 [−64, 64], uint8 [0, 127]): an int8
 * weight in [−64, 64] times a uint8-shifted activation (≤ 255) summed in pairs stays below
 * 2^15, so x86 CPUs without VNNI (whose `vpmaddubsw` saturates those pair sums to int16)
 * compute the exact int32 accumulator.
 */
export function quantRange(dtype: QuantDType, symmetric = false, reduceRange = false): [number, number] {
  if (dtype === 'uint8') return reduceRange ? [0, 127] : [0, 255];
  if (reduceRange) return [-64, 64];
  return symmetric ? [-127, 127] : [-128, 127];
}

/**
 * Scale and zero point for the float range [lo, hi], as ONNX Runtime's `compute_scale_zp`:
 * the range is widened to hold 0 (so 0 is exact, as zero padding needs), made ±max(|lo|, |hi|)
 * when `symmetric`; scale = (hi − lo) / (qmax − qmin) in float32, zero point =
 * round-half-even(qmin − lo / scale) (symmetric int8: 0; symmetric uint8: 128); `reduceRange`
 * takes `quantRange`'s 7-bit range (ONNX Runtime's `reduce_range`). An empty range
 * (all zeros) gets scale 1, zero point 0 (int8) / 0 (uint8).
 */
export function computeQParams(lo: number, hi: number, options: { dtype: QuantDType; symmetric?: boolean; reduceRange?: boolean }): QParams {
  const { dtype, symmetric = false, reduceRange = false } = options;
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || lo > hi) {
    throw new RangeError(`computeQParams: the range must be finite with lo ≤ hi, got [${lo}, ${hi}]`);
  }
  let rmin = Math.min(lo, 0);
  let rmax = Math.max(hi, 0);
  if (symmetric) {
    const m = Math.max(-rmin, rmax);
    rmin = -m;
    rmax = m;
  }
  const [qmin, qmax] = quantRange(dtype, symmetric, reduceRange);
  const scale = Math.fround((rmax - rmin) / (qmax - qmin));
  if (!(scale >= 1.1754943508222875e-38)) return { scale: 1, zeroPoint: symmetric && dtype === 'uint8' ? 128 : 0, dtype };
  if (symmetric) return { scale, zeroPoint: dtype === 'uint8' ? 128 : 0, dtype };
  const zeroPoint = Math.min(qmax, Math.max(qmin, roundHalfEven(qmin - Math.fround(rmin / scale))));
  return { scale, zeroPoint, dtype };
}

/** ONNX QuantizeLinear of one value: saturate(round-half-even(x / scale) + zeroPoint), in float32 arithmetic. */
export function quantizeValue(x: number, q: QParams): number {
  const [qmin, qmax] = quantRange(q.dtype);
  if (Number.isNaN(x)) return q.zeroPoint;
  const v = roundHalfEven(Math.fround(Math.fround(x) / q.scale)) + q.zeroPoint;
  return v < qmin ? qmin : v > qmax ? qmax : v;
}

/** ONNX DequantizeLinear of one value: (q − zeroPoint) · scale in float32. */
export function dequantizeValue(v: number, q: QParams): number {
  return Math.fround((v - q.zeroPoint) * q.scale);
}

/** QuantizeLinear of a whole array (per tensor). */
export function quantizeArray(x: ArrayLike<number>, q: QParams): Int8Array | Uint8Array {
  const out = q.dtype === 'int8' ? new Int8Array(x.length) : new Uint8Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = quantizeValue(x[i]!, q);
  return out;
}

/** DequantizeLinear of a whole array (per tensor). */
export function dequantizeArray(v: ArrayLike<number>, q: QParams): Float32Array {
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = dequantizeValue(v[i]!, q);
  return out;
}
