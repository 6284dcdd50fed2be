import { adaptiveAvgPool2d, type Tensor } from '@mapnn/core';
import { Module } from './module.js';
import { type ModuleConfig } from './serialization/config.js';

/**
 * Adaptive 2-D average pooling (`torch.nn.AdaptiveAvgPool2d`): averages PyTorch's adaptive
 * windows so the output is [N, C, oh, ow] whatever the input size (`null` keeps that dim).
 *
 * @example new AdaptiveAvgPool2d([2, 2]).call(zeros([1, 3, 7, 9])).shape // [1, 3, 2, 2]
 */
export class AdaptiveAvgPool2d extends Module {
  constructor(readonly outputSize: number | readonly [number | null, number | null]) {
    super();
  }

  /** Constructor arguments as JSON, for `saveModel` (see `registerModule`). */
  getConfig(): ModuleConfig {
    return { outputSize: this.outputSize };
  }

  forward(x: Tensor): Tensor {
    return adaptiveAvgPool2d(x, this.outputSize);
  }

  override describe(): string {
    return `AdaptiveAvgPool2d(${JSON.stringify(this.outputSize)})`;
  }
}
