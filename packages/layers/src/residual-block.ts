import { add, relu, type DType, type Generator, type Tensor } from '@mapnn/core';
import { BatchNorm2d } from './batch-norm.js';
import { Conv2d } from './conv2d.js';
import { Module } from './module.js';
import { Sequential } from './sequential.js';
import { compactConfig, floatDType, type ModuleConfig } from './serialization/config.js';

export interface ResidualBlockOptions {
  /** Stride of the first 3×3 convolution (and of the projection shortcut); default 1. */
  stride?: number;
  generator?: Generator;
  dtype?: DType;
}

/**
 * ResNet basic block (He et al. 2016; torchvision's `BasicBlock`):
 * `relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x))` with 3×3 convolutions (no bias,
 * padding 1). The shortcut is the identity, or — when the stride is not 1 or the channel count
 * changes — a 1×1 strided convolution plus batch norm, named `downsample` as in torchvision
 * (state-dict keys `conv1.weight`, `bn1.running_mean`, `downsample.0.weight`, …).
 *
 * @example
 * const block = new ResidualBlock(16, 32, { stride: 2 });
 * block.call(zeros([1, 16, 8, 8])).shape // [1, 32, 4, 4]
 */
export class ResidualBlock extends Module {
  conv1: Conv2d;
  bn1: BatchNorm2d;
  conv2: Conv2d;
  bn2: BatchNorm2d;
  downsample: Sequential | null;

  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    options: ResidualBlockOptions = {},
  ) {
    super();
    const stride = options.stride ?? 1;
    const o = { generator: options.generator, dtype: options.dtype };
    this.conv1 = new Conv2d(inChannels, outChannels, 3, { stride, padding: 1, bias: false, ...o });
    this.bn1 = new BatchNorm2d(outChannels, { dtype: options.dtype });
    this.conv2 = new Conv2d(outChannels, outChannels, 3, { padding: 1, bias: false, ...o });
    this.bn2 = new BatchNorm2d(outChannels, { dtype: options.dtype });
    this.downsample =
      stride !== 1 || inChannels !== outChannels
        ? new Sequential(new Conv2d(inChannels, outChannels, 1, { stride, bias: false, ...o }), new BatchNorm2d(outChannels, { dtype: options.dtype }))
        : null;
  }

  /** Constructor arguments as JSON, for `saveModel` (see `registerModule`). */
  getConfig(): ModuleConfig {
    return compactConfig({ inChannels: this.inChannels, outChannels: this.outChannels, stride: this.conv1.stride, dtype: floatDType(this) });
  }

  forward(x: Tensor): Tensor {
    const h = relu(this.bn1.call(this.conv1.call(x)));
    const y = this.bn2.call(this.conv2.call(h));
    const identity = this.downsample ? this.downsample.call(x) : x;
    return relu(add(y, identity));
  }

  override describe(): string {
    return `ResidualBlock(${this.inChannels}, ${this.outChannels})`;
  }
}
