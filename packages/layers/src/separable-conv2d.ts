import type { DType, Generator, Padding2d, Pair, Tensor } from '@mapnn/core';
import { Conv2d } from './conv2d.js';
import { Module } from './module.js';
import { compactConfig, floatDType, type ModuleConfig } from './serialization/config.js';

export interface SeparableConv2dOptions {
  stride?: Pair;
  padding?: Padding2d;
  dilation?: Pair;
  /** Depthwise outputs per input channel (default 1). */
  depthMultiplier?: number;
  /** Bias on the pointwise convolution (default true; the depthwise one has none). */
  bias?: boolean;
  generator?: Generator;
  dtype?: DType;
}

/**
 * Depthwise-separable convolution (Keras `SeparableConv2D`, MobileNet): a depthwise Conv2d
 * (`groups = inChannels`, kernel k, no bias) followed by a pointwise 1×1 Conv2d. Parameters:
 * `depthwise.weight` [Cin·m, 1, k, k], `pointwise.weight` [Cout, Cin·m, 1, 1], `pointwise.bias`.
 *
 * @example
 * const sep = new SeparableConv2d(32, 64, 3, { padding: 'same' });
 * sep.call(zeros([1, 32, 16, 16])).shape // [1, 64, 16, 16]
 */
export class SeparableConv2d extends Module {
  depthwise: Conv2d;
  pointwise: Conv2d;

  constructor(inChannels: number, outChannels: number, kernelSize: Pair, options: SeparableConv2dOptions = {}) {
    super();
    const m = options.depthMultiplier ?? 1;
    this.depthwise = new Conv2d(inChannels, inChannels * m, kernelSize, {
      stride: options.stride,
      padding: options.padding,
      dilation: options.dilation,
      groups: inChannels,
      bias: false,
      generator: options.generator,
      dtype: options.dtype,
    });
    this.pointwise = new Conv2d(inChannels * m, outChannels, 1, { bias: options.bias, generator: options.generator, dtype: options.dtype });
  }

  /** Constructor arguments as JSON, for `saveModel` (see `registerModule`). */
  getConfig(): ModuleConfig {
    return compactConfig({
      inChannels: this.depthwise.inChannels, outChannels: this.pointwise.outChannels, kernelSize: this.depthwise.kernelSize,
      stride: this.depthwise.stride, padding: this.depthwise.padding, dilation: this.depthwise.dilation,
      depthMultiplier: this.depthwise.outChannels / this.depthwise.inChannels, bias: this.pointwise.bias !== null, dtype: floatDType(this),
    });
  }

  forward(x: Tensor): Tensor {
    return this.pointwise.call(this.depthwise.call(x));
  }
}
