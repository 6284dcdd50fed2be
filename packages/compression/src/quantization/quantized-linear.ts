import { linear, type Tensor } from '@mapnn/core';
import { Module, type Linear } from '@mapnn/layers';
import { fakeQuantize } from './fake-quant.js';
import type { QParams } from './qparams.js';
import { quantizeLayerWeights, type QuantizedWeights } from './quantized-weights.js';
import type { WeightQuantOptions } from './weight-quant.js';

/**
 * A Linear fused with its bias and (optionally) the ReLU after it, quantized as
 * `QuantizedConv2d` is (per-channel int8 weight along the output features, int32 bias,
 * quantized input and output); `forward` is the float simulation of the QDQ graph.
 */
export class QuantizedLinear extends Module {
  readonly q: QuantizedWeights;

  constructor(
    fc: Linear,
    readonly input: QParams,
    readonly output: QParams,
    readonly activation: 'none' | 'relu',
    readonly layer = 'linear',
    options: WeightQuantOptions = {},
  ) {
    super();
    this.q = quantizeLayerWeights(layer, fc.weight, fc.bias, input, options);
  }

  forward(x: Tensor): Tensor {
    const y = linear(fakeQuantize(x, this.input), this.q.weightFloat, this.q.biasFloat, { activation: this.activation });
    return fakeQuantize(y, this.output);
  }

  override describe(): string {
    const [o, i] = this.q.weight.shape;
    return `QuantizedLinear(${i}, ${o}, int8${this.activation === 'relu' ? ', relu' : ''})`;
  }
}
