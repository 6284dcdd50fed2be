import { tensor, type Tensor } from '@mapnn/core';
import { buffer } from '@mapnn/layers';
import type { QParams } from './qparams.js';
import { dequantizeWeight, quantizeBias, quantizeWeightPerChannel, type PerChannelWeight, type WeightQuantOptions } from './weight-quant.js';

/** The int8 weight, int32 bias and the float tensors they stand for, shared by the quantized layers. */
export interface QuantizedWeights {
  weight: PerChannelWeight;
  /** int32 bias (scale input·weight_c, zero point 0) or null. */
  bias: { values: Int32Array; scales: Float32Array } | null;
  /** Dequantized weight and bias (what the fake-quant forward computes with). */
  weightFloat: Tensor;
  biasFloat: Tensor | null;
}

/** Quantizes a layer's weight per channel and its bias to int32 for the input scale. */
export function quantizeLayerWeights(layer: string, weight: Tensor, bias: Tensor | null, input: QParams, options: WeightQuantOptions = {}): QuantizedWeights {
  const w = quantizeWeightPerChannel(weight.dataSync(), weight.shape, layer, options);
  const b = bias ? quantizeBias(bias.dataSync(), input.scale, w.scales) : null;
  return {
    weight: w,
    bias: b,
    weightFloat: buffer(tensor(dequantizeWeight(w), w.shape, 'float32')),
    biasFloat: b ? buffer(tensor(Float32Array.from(b.values, (v, c) => Math.fround(v * b.scales[c]!)), [b.values.length], 'float32')) : null,
  };
}
