import { conv1d, type Conv1dOptions, type DType, type Generator, type Tensor } from '@mapnn/core';
import { convParameters } from './conv-parameters.js';
import { Module } from './module.js';
import { compactConfig, floatDType, type ModuleConfig } from './serialization/config.js';

export interface Conv1dLayerOptions {
  /** Stride (default 1). */
  stride?: number;
  /** Zero padding: a number, `[left, right]`, `'valid'` or `'same'` (stride 1). Default 0. */
  padding?: Conv1dOptions['padding'];
  /** Dilation (default 1). */
  dilation?: number;
  /** Channel groups (default 1). */
  groups?: number;
  /** Learn a bias (default true). */
  bias?: boolean;
  generator?: Generator;
  dtype?: DType;
}

/**
 * 1-D convolution layer (`torch.nn.Conv1d`) over [N, Cin, L]: `weight` [Cout, Cin/groups, k],
 * `bias` [Cout]. Default init as PyTorch: U(±1/√fan_in), fan_in = Cin/groups·k.
 *
 * @example
 * const conv = new Conv1d(4, 8, 3, { padding: 'same' });
 * conv.call(zeros([2, 4, 10])).shape // [2, 8, 10]
 */
export class Conv1d extends Module {
  weight: Tensor;
  bias: Tensor | null;
  readonly stride: number;
  readonly padding: NonNullable<Conv1dOptions['padding']>;
  readonly dilation: number;
  readonly groups: number;

  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    readonly kernelSize: number,
    options: Conv1dLayerOptions = {},
  ) {
    super();
    this.stride = options.stride ?? 1;
    this.padding = options.padding ?? 0;
    this.dilation = options.dilation ?? 1;
    this.groups = options.groups ?? 1;
    ({ weight: this.weight, bias: this.bias } = convParameters('Conv1d', inChannels, outChannels, this.groups, [outChannels, inChannels / this.groups, kernelSize], options));
  }

  /** Constructor arguments as JSON, for `saveModel` (see `registerModule`). */
  getConfig(): ModuleConfig {
    return compactConfig({
      inChannels: this.inChannels, outChannels: this.outChannels, kernelSize: this.kernelSize, stride: this.stride, padding: this.padding,
      dilation: this.dilation, groups: this.groups, bias: this.bias !== null, dtype: floatDType(this),
    });
  }

  forward(x: Tensor): Tensor {
    return conv1d(x, this.weight, this.bias, { stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups });
  }

  override describe(): string {
    return `Conv1d(${this.inChannels}, ${this.outChannels}, kernel=${this.kernelSize}, stride=${this.stride}, padding=${JSON.stringify(this.padding)})`;
  }
}
