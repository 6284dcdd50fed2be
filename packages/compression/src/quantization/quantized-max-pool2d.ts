import { maxPool2d, type MaxPool2dOptions, type Tensor } from '@mapnn/core';
import { Module, type MaxPool2d } from '@mapnn/layers';
import type { QParams } from './qparams.js';

/**
 * Max pooling between two quantized layers: on an int8 / uint8 input it pools the integers
 * themselves (max commutes with the monotone dequantization, so the result is the quantized
 * max of the float values, as ONNX Runtime's int8 MaxPool), a float input is pooled in float.
 * Core `maxPool2d` keeps int8 / uint8 levels as they are: the backend's `maxPool2dInt8` kernel
 * (wasm: 16 lanes of `i8x16.max_s`), else an exact float32 round trip; the parameters stay the
 * input's (`params`).
 */
export class QuantizedMaxPool2d extends Module {
  readonly options: MaxPool2dOptions;

  constructor(pool: MaxPool2d, readonly params: QParams) {
    super();
    this.options = pool.options;
  }

  forward(x: Tensor): Tensor {
    return maxPool2d(x, this.options);
  }

  override describe(): string {
    return `QuantizedMaxPool2d(kernel=${JSON.stringify(this.options.kernelSize)}, ${this.params.dtype})`;
  }
}
