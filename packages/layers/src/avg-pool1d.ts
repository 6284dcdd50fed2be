import { avgPool1d, type AvgPool1dOptions, type Tensor } from '@mapnn/core';
import { Module } from './module.js';
import { poolConfig, type ModuleConfig } from './serialization/config.js';

/**
 * 1-D average pooling (`torch.nn.AvgPool1d`) over [N, C, L]; `stride` defaults to the kernel size.
 *
 * @example new AvgPool1d(2).call(zeros([1, 3, 8])).shape // [1, 3, 4]
 */
export class AvgPool1d extends Module {
  readonly options: AvgPool1dOptions;

  constructor(kernelSize: number, options: Omit<AvgPool1dOptions, 'kernelSize'> = {}) {
    super();
    this.options = { ...options, kernelSize };
  }

  /** Constructor arguments as JSON, for `saveModel` (see `registerModule`). */
  getConfig(): ModuleConfig {
    return poolConfig(this.options);
  }

  forward(x: Tensor): Tensor {
    return avgPool1d(x, this.options);
  }

  override describe(): string {
    return `AvgPool1d(kernel=${JSON.stringify(this.options.kernelSize)})`;
  }
}
