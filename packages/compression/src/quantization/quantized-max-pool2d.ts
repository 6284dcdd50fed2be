import { dequantizeLinear, max, maxPool2d, narrow, quantizeLinear, reshape, type MaxPool2dOptions, type Tensor } from '@mapnn/core';
import { Module, type MaxPool2d } from '@mapnn/layers';
import { zeroPointTensor } from './int8-tensors.js';
import type { QParams } from './qparams.js';

const pair = (v: number | readonly number[] | undefined, d: number): [number, number] =>
  v === undefined ? [d, d] : typeof v === 'number' ? [v, v] : [v[0]!, v[1]!];

/** Whether the windows tile the input (stride = kernel, no padding, dilation 1, floor mode). */
function tiles(o: MaxPool2dOptions): boolean {
  const [kh, kw] = pair(o.kernelSize, 1);
  const [sh, sw] = pair(o.stride ?? o.kernelSize, 1);
  const pads = o.padding === undefined ? [0] : typeof o.padding === 'number' ? [o.padding] : [...(o.padding as readonly number[])];
  const [dh, dw] = pair(o.dilation, 1);
  return kh === sh && kw === sw && pads.every((p) => p === 0) && dh === 1 && dw === 1 && !o.ceilMode;
}

/**
 * Max pooling between two quantized layers: on an int8 / uint8 input it pools the integers
 * themselves (max commutes with the monotone dequantization, so the result is the quantized
 * max of the float values, as ONNX Runtime's int8 MaxPool), a float input is pooled in float.
 * Core `maxPool2d` is float-only, so tiling windows (stride = kernel, no padding, the common
 * case) are a crop, a reshape to [N, C, Ho, kh, Wo, kw] and `max` over the window dims; other
 * windows dequantize, pool in float and quantize back with the same parameters (exact).
 */
export class QuantizedMaxPool2d extends Module {
  readonly options: MaxPool2dOptions;
  private readonly zeroPoint: Tensor;

  constructor(pool: MaxPool2d, readonly params: QParams) {
    super();
    this.options = pool.options;
    this.zeroPoint = zeroPointTensor(params);
  }

  forward(x: Tensor): Tensor {
    if (x.dtype !== 'int8' && x.dtype !== 'uint8') return maxPool2d(x, this.options);
    if (!tiles(this.options) || x.rank !== 4) {
      const pooled = maxPool2d(dequantizeLinear(x, this.params.scale, this.zeroPoint), this.options);
      return quantizeLinear(pooled, this.params.scale, this.zeroPoint);
    }
    const [kh, kw] = pair(this.options.kernelSize, 1);
    const [n, c, h, w] = x.shape as [number, number, number, number];
    const [ho, wo] = [Math.floor(h / kh), Math.floor(w / kw)];
    const cropped = narrow(narrow(x, 2, 0, ho * kh), 3, 0, wo * kw);
    return max(reshape(cropped, [n, c, ho, kh, wo, kw]), [3, 5]);
  }

  override describe(): string {
    return `QuantizedMaxPool2d(kernel=${JSON.stringify(this.options.kernelSize)}, ${this.params.dtype})`;
  }
}
