import { cast, maxPool2d, type MaxPool2dOptions, type Tensor } from '@mapnn/core';
import { Module, type MaxPool2d } from '@mapnn/layers';
import type { QParams } from './qparams.js';

/**
 * Max pooling between two quantized layers: on an int8 / uint8 input it pools the integers
 * themselves (max commutes with the monotone dequantization, so the result is the quantized
 * max of the float values, as ONNX Runtime's int8 MaxPool), a float input is pooled in float.
 * Core `maxPool2d` has float kernels only, so the integer levels are cast to float32 (exact),
 * pooled by the backend's `maxPool2d` kernel and cast back (exact: every maximum is an input
 * level); the parameters stay the input's (`params`). A crop, a reshape and an int8 `max` over
 * the window dims computes the same but ran 5–10× slower on wasm.
 */
export class QuantizedMaxPool2d extends Module {
  readonly options: MaxPool2dOptions;

  constructor(pool: MaxPool2d, readonly params: QParams) {
    super();
    this.options = pool.options;
  }

  forward(x: Tensor): Tensor {
    if (x.dtype !== 'int8' && x.dtype !== 'uint8') return maxPool2d(x, this.options);
    return cast(maxPool2d(cast(x, 'float32'), this.options), x.dtype);
  }

  override describe(): string {
    return `QuantizedMaxPool2d(kernel=${JSON.stringify(this.options.kernelSize)}, ${this.params.dtype})`;
  }
}
