import { dequantizeLinear, max, min, tensor, type Tensor } from '@mapnn/core';
import { buffer } from '@mapnn/layers';
import { fakeQuantize } from '../quantization/fake-quant.js';
import { computeQParams, type QuantDType } from '../quantization/qparams.js';
import { quantizeWeightPerChannel } from '../quantization/weight-quant.js';

/**
 * Dynamic (run-time) activation quantization: the range of this very tensor, [min(x, 0),
 * max(x, 0)], gives per-tensor asymmetric parameters (`computeQParams`; uint8 [0, 255] by
 * default, as PyTorch's `quantize_dynamic` on qnnpack), and x is quantized → dequantized with
 * them (`fakeQuantize`). Throws naming `where` on NaN or infinite activations.
 */
export function dynamicFakeQuantize(x: Tensor, dtype: QuantDType, where: string): Tensor {
  if (x.size === 0) return x;
  const lo = min(x).item();
  const hi = max(x).item();
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) {
    throw new RangeError(`quantizeDynamic: layer '${where}' got activations that are not finite (range [${lo}, ${hi}]; NaN or ±Infinity in input [${x.shape.join(', ')}])`);
  }
  return fakeQuantize(x, computeQParams(lo, hi, { dtype }));
}

/** An int8 weight stored per output channel (axis 0, symmetric) and its float32 scales, as buffers. */
export interface StoredWeight {
  values: Tensor;
  scales: Tensor;
}

/** Quantizes a float weight [out, …] to stored int8 per output channel. */
export function storeWeight(weight: Tensor, layer: string): StoredWeight {
  const q = quantizeWeightPerChannel(weight.dataSync(), weight.shape, layer);
  return { values: buffer(tensor(q.values, q.shape, 'int8')), scales: buffer(tensor(q.scales, [q.scales.length], 'float32')) };
}

/** The float weight a stored int8 one stands for (core `dequantizeLinear` along axis 0). */
export function loadWeight(values: Tensor, scales: Tensor): Tensor {
  return dequantizeLinear(values, scales, null, { axis: 0 });
}
