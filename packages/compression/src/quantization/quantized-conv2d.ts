import { conv2d, qlinearConv2d, type Padding2d, type Pair, type Tensor } from '@mapnn/core';
import { Module, type Conv2d } from '@mapnn/layers';
import { fakeQuantize } from './fake-quant.js';
import { int8Operands, layerOutput, quantizedInput, type Int8Operands, type QuantCompute } from './int8-tensors.js';
import type { QParams } from './qparams.js';
import { quantizeLayerWeights, type QuantizedWeights } from './quantized-weights.js';
import type { WeightQuantOptions } from './weight-quant.js';

/** Options of a quantized layer: its weights' range and how it computes. */
export interface QuantizedLayerOptions extends WeightQuantOptions {
  /** 'int8' (default): the core QLinear ops on int8 tensors; 'simulate': float fake quantization. */
  compute?: QuantCompute;
}

/**
 * A Conv2d fused with its bias and (optionally) the ReLU after it, quantized: the input is
 * quantized with `input`'s parameters, the weight per output channel (symmetric int8), the
 * bias to int32, and the (ReLU'd) output with `output`'s. With `compute: 'int8'` (default)
 * `forward` runs in int8 — `quantizeLinear` of a float input (an int8 input passes as it is),
 * `qlinearConv2d` (int32 accumulator, fused bias and ReLU, ONNX QLinearConv requantization),
 * then `dequantizeLinear` unless `int8Output` hands the int8 tensor to the next quantized layer.
 * With `compute: 'simulate'` it is the float simulation (quantize → dequantize at each of
 * those points), what an ONNX QDQ graph of it computes; `exportQdqOnnx` writes it as one.
 */
export class QuantizedConv2d extends Module {
  readonly q: QuantizedWeights;
  readonly kernelSize: [number, number];
  readonly stride: Pair;
  readonly padding: Padding2d;
  readonly dilation: Pair;
  readonly groups: number;
  compute: QuantCompute;
  /** Return the int8 output (its parameters are `output`) instead of dequantizing it; set by `quantizeModel`. */
  int8Output = false;
  private readonly ops: Int8Operands;

  constructor(
    conv: Conv2d,
    readonly input: QParams,
    readonly output: QParams,
    readonly activation: 'none' | 'relu',
    readonly layer = 'conv',
    options: QuantizedLayerOptions = {},
  ) {
    super();
    this.q = quantizeLayerWeights(layer, conv.weight, conv.bias, input, options);
    this.kernelSize = conv.kernelSize;
    this.stride = conv.stride;
    this.padding = conv.padding;
    this.dilation = conv.dilation;
    this.groups = conv.groups;
    this.compute = options.compute ?? 'int8';
    this.ops = int8Operands(this.q, input, output, 'conv');
  }

  forward(x: Tensor): Tensor {
    const geometry = { stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups, activation: this.activation };
    if (this.compute === 'simulate') {
      const y = conv2d(fakeQuantize(x, this.input), this.q.weightFloat, this.q.biasFloat, geometry);
      return fakeQuantize(y, this.output);
    }
    const o = this.ops;
    const xq = quantizedInput(x, this.input, o, this.layer);
    const y = qlinearConv2d(xq, o.xScale, o.xZeroPoint, o.w, o.wScale, o.wZeroPoint, o.yScale, o.yZeroPoint, o.bias, geometry);
    return layerOutput(y, o, this.int8Output);
  }

  override describe(): string {
    const s = this.q.weight.shape;
    return `QuantizedConv2d(${s[1]! * this.groups}, ${s[0]}, kernel=[${this.kernelSize.join(', ')}], int8${this.activation === 'relu' ? ', relu' : ''})`;
  }
}
