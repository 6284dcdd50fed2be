import { conv2d, type Padding2d, type Pair, type Tensor } from '@mapnn/core';
import { Module, type Conv2d } from '@mapnn/layers';
import { fakeQuantize } from './fake-quant.js';
import type { QParams } from './qparams.js';
import { quantizeLayerWeights, type QuantizedWeights } from './quantized-weights.js';
import type { WeightQuantOptions } from './weight-quant.js';

/**
 * A Conv2d fused with its bias and (optionally) the ReLU after it, quantized: the input is
 * quantized with `input`'s parameters, the weight per output channel (symmetric int8), the
 * bias to int32, and the (ReLU'd) output with `output`'s. `forward` simulates that in float
 * (quantize → dequantize at each of those points), which is what an ONNX QDQ graph of it
 * computes; `exportQdqOnnx` writes it as one.
 */
export class QuantizedConv2d extends Module {
  readonly q: QuantizedWeights;
  readonly kernelSize: [number, number];
  readonly stride: Pair;
  readonly padding: Padding2d;
  readonly dilation: Pair;
  readonly groups: number;

  constructor(
    conv: Conv2d,
    readonly input: QParams,
    readonly output: QParams,
    readonly activation: 'none' | 'relu',
    readonly layer = 'conv',
    options: WeightQuantOptions = {},
  ) {
    super();
    this.q = quantizeLayerWeights(layer, conv.weight, conv.bias, input, options);
    this.kernelSize = conv.kernelSize;
    this.stride = conv.stride;
    this.padding = conv.padding;
    this.dilation = conv.dilation;
    this.groups = conv.groups;
  }

  forward(x: Tensor): Tensor {
    const xq = fakeQuantize(x, this.input);
    const y = conv2d(xq, this.q.weightFloat, this.q.biasFloat, {
      stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups, activation: this.activation,
    });
    return fakeQuantize(y, this.output);
  }

  override describe(): string {
    const s = this.q.weight.shape;
    return `QuantizedConv2d(${s[1]! * this.groups}, ${s[0]}, kernel=[${this.kernelSize.join(', ')}], int8${this.activation === 'relu' ? ', relu' : ''})`;
  }
}
