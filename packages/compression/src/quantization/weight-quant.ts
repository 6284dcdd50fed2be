import { roundHalfEven } from '../pruning/amount.js';
import { computeQParams, quantizeValue, type QParams } from './qparams.js';

/** A weight quantized per output channel (axis 0), symmetric int8 with zero points 0. */
export interface PerChannelWeight {
  values: Int8Array;
  /** One float32 scale per output channel. */
  scales: Float32Array;
  shape: number[];
}

/** Options of `quantizeWeightPerChannel`. */
export interface WeightQuantOptions {
  /**
   * 7-bit weights in [−64, 64] (scale_c = max|w_c| / 64), ONNX Runtime's `reduce_range`: what
   * ORT computes on x86 without VNNI (where full-range int8 products saturate in int16 pair
   * sums) then equals the exact ONNX QLinearConv / QLinearMatMul result. Default false.
   */
  reduceRange?: boolean;
}

/**
 * Per-channel symmetric int8 quantization along axis 0 (Conv [out, in, kh, kw], Linear
 * [out, in]), as ONNX Runtime's default for weights and PyTorch's
 * `per_channel_symmetric` qint8: scale_c = max|w_c| / 127, q = saturate(round-half-even(w / scale_c))
 * in [−127, 127] (or [−64, 64] with `reduceRange`).
 */
export function quantizeWeightPerChannel(data: ArrayLike<number>, shape: readonly number[], layer: string, options: WeightQuantOptions = {}): PerChannelWeight {
  const channels = shape[0]!;
  const per = channels ? data.length / channels : 0;
  const values = new Int8Array(data.length);
  const scales = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    let m = 0;
    for (let k = c * per; k < (c + 1) * per; k++) {
      const v = data[k]!;
      if (!Number.isFinite(v)) throw new RangeError(`quantize: layer '${layer}' has a non-finite weight (${v}) in output channel ${c}`);
      m = Math.max(m, Math.abs(v));
    }
    const q: QParams = computeQParams(-m, m, { dtype: 'int8', symmetric: true, reduceRange: options.reduceRange ?? false });
    scales[c] = q.scale;
    for (let k = c * per; k < (c + 1) * per; k++) values[k] = quantizeValue(data[k]!, q);
  }
  return { values, scales, shape: [...shape] };
}

/** The float weight the int8 one stands for: q · scale_c. */
export function dequantizeWeight(w: PerChannelWeight): Float32Array {
  const per = w.scales.length ? w.values.length / w.scales.length : 0;
  return Float32Array.from(w.values, (v, k) => Math.fround(v * w.scales[Math.floor(k / per)]!));
}

/**
 * The bias as ONNX Runtime's quantizer stores it: int32 with scale input_scale · weight_scale_c
 * and zero point 0 (so a QLinearConv adds it to the int32 accumulator directly).
 */
export function quantizeBias(bias: ArrayLike<number>, inputScale: number, weightScales: Float32Array): { values: Int32Array; scales: Float32Array } {
  const scales = Float32Array.from(weightScales, (s) => Math.fround(inputScale * s));
  const values = Int32Array.from(bias, (b, c) => {
    const s = scales[c]!;
    const q = s > 0 ? roundHalfEven(Math.fround(b / s)) : 0;
    return Math.max(-2147483648, Math.min(2147483647, q));
  });
  return { values, scales };
}
