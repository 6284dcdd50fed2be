import { globalAvgPool2d, reshape, type Tensor } from '@mapnn/core';
import { Module } from './module.js';
import { type ModuleConfig } from './serialization/config.js';

/**
 * Global average pooling over the spatial dims (Keras `GlobalAveragePooling2D`): [N, C, H, W] →
 * [N, C], or [N, C, 1, 1] with `keepDims` (as `AdaptiveAvgPool2d(1)`).
 *
 * @example new GlobalAvgPool2d().call(zeros([2, 8, 7, 7])).shape // [2, 8]
 */
export class GlobalAvgPool2d extends Module {
  readonly keepDims: boolean;

  constructor(options: { keepDims?: boolean } = {}) {
    super();
    this.keepDims = options.keepDims ?? false;
  }

  /** Constructor arguments as JSON, for `saveModel` (see `registerModule`). */
  getConfig(): ModuleConfig {
    return { keepDims: this.keepDims };
  }

  forward(x: Tensor): Tensor {
    const y = globalAvgPool2d(x);
    return this.keepDims ? y : reshape(y, y.shape.slice(0, 2));
  }

  override describe(): string {
    return `GlobalAvgPool2d(keepDims=${this.keepDims})`;
  }
}
