import { maxPool1d, type MaxPool1dOptions, type Tensor } from '@mapnn/core';
import { Module } from './module.js';
import { poolConfig, type ModuleConfig } from './serialization/config.js';

/**
 * 1-D max pooling (`torch.nn.MaxPool1d`) over [N, C, L]; `stride` defaults to the kernel size.
 *
 * @example new MaxPool1d(2).call(zeros([1, 3, 8])).shape // [1, 3, 4]
 */
export class MaxPool1d extends Module {
  readonly options: MaxPool1dOptions;

  constructor(kernelSize: number, options: Omit<MaxPool1dOptions, 'kernelSize'> = {}) {
    super();
    this.options = { ...options, kernelSize };
  }

  /** Constructor arguments as JSON, for `saveModel` (see `registerModule`). */
  getConfig(): ModuleConfig {
    return poolConfig(this.options);
  }

  forward(x: Tensor): Tensor {
    return maxPool1d(x, this.options);
  }

  override describe(): string {
    return `MaxPool1d(kernel=${JSON.stringify(this.options.kernelSize)})`;
  }
}
