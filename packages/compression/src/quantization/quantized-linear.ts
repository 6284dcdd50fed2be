import { linear, qlinearMatmul, type Tensor } from '@mapnn/core';
import { Module, type Linear } from '@mapnn/layers';
import { fakeQuantize } from './fake-quant.js';
import { int8Operands, layerOutput, quantizedInput, type Int8Operands, type QuantCompute } from './int8-tensors.js';
import type { QParams } from './qparams.js';
import type { QuantizedLayerOptions } from './quantized-conv2d.js';
import { quantizeLayerWeights, type QuantizedWeights } from './quantized-weights.js';

/**
 * A Linear fused with its bias and (optionally) the ReLU after it, quantized as
 * `QuantizedConv2d` is (per-channel int8 weight along the output features, int32 bias,
 * quantized input and output); `forward` runs `qlinearMatmul` in int8 (`compute: 'int8'`,
 * default) or the float simulation of the QDQ graph (`compute: 'simulate'`).
 */
export class QuantizedLinear extends Module {
  readonly q: QuantizedWeights;
  compute: QuantCompute;
  /** Return the int8 output (its parameters are `output`) instead of dequantizing it; set by `quantizeModel`. */
  int8Output = false;
  private readonly ops: Int8Operands;

  constructor(
    fc: Linear,
    readonly input: QParams,
    readonly output: QParams,
    readonly activation: 'none' | 'relu',
    readonly layer = 'linear',
    options: QuantizedLayerOptions = {},
  ) {
    super();
    this.q = quantizeLayerWeights(layer, fc.weight, fc.bias, input, options);
    this.compute = options.compute ?? 'int8';
    this.ops = int8Operands(this.q, input, output, 'linear');
  }

  forward(x: Tensor): Tensor {
    if (this.compute === 'simulate') {
      const y = linear(fakeQuantize(x, this.input), this.q.weightFloat, this.q.biasFloat, { activation: this.activation });
      return fakeQuantize(y, this.output);
    }
    const o = this.ops;
    const xq = quantizedInput(x, this.input, o, this.layer);
    const y = qlinearMatmul(xq, o.xScale, o.xZeroPoint, o.w, o.wScale, o.wZeroPoint, o.yScale, o.yZeroPoint, o.bias, { activation: this.activation });
    return layerOutput(y, o, this.int8Output);
  }

  override describe(): string {
    const [o, i] = this.q.weight.shape;
    return `QuantizedLinear(${i}, ${o}, int8${this.activation === 'relu' ? ', relu' : ''})`;
  }
}
