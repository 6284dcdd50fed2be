import { maxPool2d, type MaxPool2dOptions, type Pair, type Tensor } from '@mapnn/core';
import { Module } from './module.js';
import { poolConfig, type ModuleConfig } from './serialization/config.js';

/**
 * 2-D max pooling (`torch.nn.MaxPool2d`) over [N, C, H, W]; `stride` defaults to the kernel size.
 *
 * @example new MaxPool2d(2).call(zeros([1, 3, 8, 8])).shape // [1, 3, 4, 4]
 */
export class MaxPool2d extends Module {
  readonly options: MaxPool2dOptions;

  constructor(kernelSize: Pair, options: Omit<MaxPool2dOptions, 'kernelSize'> = {}) {
    super();
    this.options = { ...options, kernelSize };
  }

  /** Constructor arguments as JSON, for `saveModel` (see `registerModule`). */
  getConfig(): ModuleConfig {
    return poolConfig(this.options);
  }

  forward(x: Tensor): Tensor {
    return maxPool2d(x, this.options);
  }

  override describe(): string {
    return `MaxPool2d(kernel=${JSON.stringify(this.options.kernelSize)}, stride=${JSON.stringify(this.options.stride ?? this.options.kernelSize)})`;
  }
}
