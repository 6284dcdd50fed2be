import { linear, type Tensor } from '@mapnn/core';
import { buffer, Module, type Linear } from '@mapnn/layers';
import type { QuantDType } from '../quantization/qparams.js';
import { dynamicFakeQuantize, loadWeight, storeWeight } from './dynamic-activation.js';

/**
 * A Linear with dynamically quantized activations (`torch.ao.nn.quantized.dynamic.Linear`):
 * the weight is stored as int8 per output channel (`weight_int8` [out, in] and `weight_scale`
 * [out]), the bias in float32; each call quantizes its input per tensor from that batch's own
 * range (uint8 by default) and multiplies it by the dequantized weight in float32 (core
 * `dequantizeLinear`, then `linear`) — the float result of the int8 product up to float32
 * rounding; the output stays float. Inference only.
 */
export class DynamicQuantizedLinear extends Module {
  weight_int8: Tensor;
  weight_scale: Tensor;
  bias: Tensor | null;
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly activation: 'none' | 'relu';

  constructor(
    fc: Linear,
    readonly layer = 'linear',
    readonly activationDtype: QuantDType = 'uint8',
  ) {
    super();
    const w = storeWeight(fc.weight, layer);
    this.weight_int8 = w.values;
    this.weight_scale = w.scales;
    this.bias = fc.bias ? buffer(fc.bias.detach()) : null;
    this.inFeatures = fc.inFeatures;
    this.outFeatures = fc.outFeatures;
    this.activation = fc.activation === 'relu' ? 'relu' : 'none';
  }

  forward(x: Tensor): Tensor {
    return linear(dynamicFakeQuantize(x, this.activationDtype, this.layer), loadWeight(this.weight_int8, this.weight_scale), this.bias, { activation: this.activation });
  }

  override describe(): string {
    return `DynamicQuantizedLinear(in=${this.inFeatures}, out=${this.outFeatures}, int8 weights, dynamic ${this.activationDtype} activations)`;
  }
}
