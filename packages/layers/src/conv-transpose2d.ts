import { convTranspose2d, type DType, type Generator, type Pair, type Tensor } from '@mapnn/core';
import { kernelPair } from './conv2d.js';
import { convParameters } from './conv-parameters.js';
import { Module } from './module.js';
import { compactConfig, floatDType, type ModuleConfig } from './serialization/config.js';

export interface ConvTranspose2dLayerOptions {
  /** Stride (default 1). */
  stride?: Pair;
  /** Padding removed from both sides of the output (default 0). */
  padding?: Pair;
  /** Extra rows/columns added at the bottom/right of the output (default 0; < stride). */
  outputPadding?: Pair;
  /** Dilation (default 1). */
  dilation?: Pair;
  /** Channel groups (default 1). */
  groups?: number;
  /** Learn a bias (default true). */
  bias?: boolean;
  generator?: Generator;
  dtype?: DType;
}

/**
 * Transposed 2-D convolution layer (`torch.nn.ConvTranspose2d`): `weight` in PyTorch's layout
 * [Cin, Cout/groups, kh, kw], `bias` [Cout]. Output size
 * `(H−1)·stride − 2·padding + dilation·(k−1) + outputPadding + 1`. Default init as PyTorch
 * (fan_in computed from weight dim 1: Cout/groups·kh·kw).
 *
 * @example
 * const up = new ConvTranspose2d(16, 8, 3, { stride: 2, padding: 1, outputPadding: 1 });
 * up.call(zeros([1, 16, 7, 7])).shape // [1, 8, 14, 14]
 */
export class ConvTranspose2d extends Module {
  weight: Tensor;
  bias: Tensor | null;
  readonly kernelSize: [number, number];
  readonly stride: Pair;
  readonly padding: Pair;
  readonly outputPadding: Pair;
  readonly dilation: Pair;
  readonly groups: number;

  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    kernelSize: Pair,
    options: ConvTranspose2dLayerOptions = {},
  ) {
    super();
    this.kernelSize = kernelPair(kernelSize);
    this.stride = options.stride ?? 1;
    this.padding = options.padding ?? 0;
    this.outputPadding = options.outputPadding ?? 0;
    this.dilation = options.dilation ?? 1;
    this.groups = options.groups ?? 1;
    ({ weight: this.weight, bias: this.bias } = convParameters('ConvTranspose2d', inChannels, outChannels, this.groups, [inChannels, outChannels / this.groups, ...this.kernelSize], options));
  }

  /** Constructor arguments as JSON, for `saveModel` (see `registerModule`). */
  getConfig(): ModuleConfig {
    return compactConfig({
      inChannels: this.inChannels, outChannels: this.outChannels, kernelSize: this.kernelSize, stride: this.stride, padding: this.padding,
      outputPadding: this.outputPadding, dilation: this.dilation, groups: this.groups, bias: this.bias !== null, dtype: floatDType(this),
    });
  }

  forward(x: Tensor): Tensor {
    return convTranspose2d(x, this.weight, this.bias, {
      stride: this.stride,
      padding: this.padding,
      outputPadding: this.outputPadding,
      dilation: this.dilation,
      groups: this.groups,
    });
  }

  override describe(): string {
    return `ConvTranspose2d(${this.inChannels}, ${this.outChannels}, kernel=[${this.kernelSize.join(', ')}], stride=${JSON.stringify(this.stride)}, padding=${JSON.stringify(this.padding)}, outputPadding=${JSON.stringify(this.outputPadding)})`;
  }
}
