import { conv2d, type DType, type Generator, type Padding2d, type Pair, type Tensor } from '@mapnn/core';
import { convParameters } from './conv-parameters.js';
import type { ReluFusable } from './fusion.js';
import { Module } from './module.js';
import { compactConfig, floatDType, type ModuleConfig } from './serialization/config.js';

export interface Conv2dLayerOptions {
  /** Stride (default 1). */
  stride?: Pair;
  /** Zero padding: a number, `[ph, pw]`, `[top, bottom, left, right]`, `'valid'` or `'same'` (stride 1). Default 0. */
  padding?: Padding2d;
  /** Dilation (default 1). */
  dilation?: Pair;
  /** Channel groups (default 1); `groups = inChannels` is a depthwise convolution. */
  groups?: number;
  /** Learn a bias (default true). */
  bias?: boolean;
  /** Generator for the default init (PyTorch's: weight and bias U(±1/√fan_in)). */
  generator?: Generator;
  dtype?: DType;
  /**
   * Activation applied to the output, fused into the convolution where the backend can (default
   * 'none'). A `Conv2d` followed by a `ReLU` in a `Sequential` is fused the same way.
   */
  activation?: 'none' | 'relu';
}

/** `[kh, kw]` of a kernel size given as a number or a pair. */
export function kernelPair(k: Pair): [number, number] {
  return typeof k === 'number' ? [k, k] : [k[0], k[1]];
}

/**
 * 2-D convolution layer (`torch.nn.Conv2d`) over [N, Cin, H, W]: `weight`
 * [Cout, Cin/groups, kh, kw], `bias` [Cout]. `groups = inChannels` (with outChannels a multiple)
 * is a depthwise convolution; follow it with a 1×1 Conv2d for a separable one (see
 * `SeparableConv2d`). Default init as PyTorch: U(±1/√fan_in), fan_in = Cin/groups·kh·kw.
 *
 * @example
 * const conv = new Conv2d(3, 16, 3, { padding: 'same' });
 * conv.call(zeros([1, 3, 32, 32])).shape // [1, 16, 32, 32]
 */
export class Conv2d extends Module implements ReluFusable {
  weight: Tensor;
  bias: Tensor | null;
  readonly kernelSize: [number, number];
  readonly stride: Pair;
  readonly padding: Padding2d;
  readonly dilation: Pair;
  readonly groups: number;
  readonly activation: 'none' | 'relu';

  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    kernelSize: Pair,
    options: Conv2dLayerOptions = {},
  ) {
    super();
    this.kernelSize = kernelPair(kernelSize);
    this.stride = options.stride ?? 1;
    this.padding = options.padding ?? 0;
    this.dilation = options.dilation ?? 1;
    this.groups = options.groups ?? 1;
    ({ weight: this.weight, bias: this.bias } = convParameters('Conv2d', inChannels, outChannels, this.groups, [outChannels, inChannels / this.groups, ...this.kernelSize], options));
    this.activation = options.activation ?? 'none';
    if (this.activation !== 'none' && this.activation !== 'relu') throw new Error(`Conv2d: activation must be 'none' or 'relu', got '${String(this.activation)}'`);
  }

  /** Constructor arguments as JSON, for `saveModel` (see `registerModule`). */
  getConfig(): ModuleConfig {
    return compactConfig({
      inChannels: this.inChannels, outChannels: this.outChannels, kernelSize: this.kernelSize, stride: this.stride, padding: this.padding,
      dilation: this.dilation, groups: this.groups, bias: this.bias !== null, activation: this.activation, dtype: floatDType(this),
    });
  }

  forward(x: Tensor): Tensor {
    return this.convolve(x, this.activation);
  }

  /** `forward` followed by a ReLU, in one fused op (`ReluFusable`; used by `Sequential`). */
  forwardRelu(x: Tensor): Tensor {
    return this.convolve(x, 'relu');
  }

  private convolve(x: Tensor, activation: 'none' | 'relu'): Tensor {
    return conv2d(x, this.weight, this.bias, { stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups, activation });
  }

  override describe(): string {
    const extra = [
      `stride=${JSON.stringify(this.stride)}`,
      `padding=${JSON.stringify(this.padding)}`,
      ...(this.dilation !== 1 ? [`dilation=${JSON.stringify(this.dilation)}`] : []),
      ...(this.groups !== 1 ? [`groups=${this.groups}`] : []),
      ...(this.bias ? [] : ['bias=false']),
      ...(this.activation !== 'none' ? [`activation=${this.activation}`] : []),
    ];
    return `Conv2d(${this.inChannels}, ${this.outChannels}, kernel=[${this.kernelSize.join(', ')}], ${extra.join(', ')})`;
  }
}
