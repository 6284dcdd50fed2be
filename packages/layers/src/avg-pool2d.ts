import { avgPool2d, type AvgPool2dOptions, type Pair, type Tensor } from '@mapnn/core';
import { Module } from './module.js';
import { poolConfig, type ModuleConfig } from './serialization/config.js';

/**
 * 2-D average pooling (`torch.nn.AvgPool2d`) over [N, C, H, W]; `stride` defaults to the kernel
 * size, `countIncludePad` to true.
 *
 * @example new AvgPool2d(2).call(zeros([1, 3, 8, 8])).shape // [1, 3, 4, 4]
 */
export class AvgPool2d extends Module {
  readonly options: AvgPool2dOptions;

  constructor(kernelSize: Pair, options: Omit<AvgPool2dOptions, 'kernelSize'> = {}) {
    super();
    this.options = { ...options, kernelSize };
  }

  /** Constructor arguments as JSON, for `saveModel` (see `registerModule`). */
  getConfig(): ModuleConfig {
    return poolConfig(this.options);
  }

  forward(x: Tensor): Tensor {
    return avgPool2d(x, this.options);
  }

  override describe(): string {
    return `AvgPool2d(kernel=${JSON.stringify(this.options.kernelSize)}, stride=${JSON.stringify(this.options.stride ?? this.options.kernelSize)})`;
  }
}
