import { flatten, type Tensor } from '@mapnn/core';
import { Module } from './module.js';
import { type ModuleConfig } from './serialization/config.js';

/**
 * Flattens dims `startDim`…`endDim` into one (`torch.nn.Flatten`, default startDim 1 so the
 * batch dim is kept). A view: no copy.
 *
 * @example new Flatten().call(zeros([2, 3, 4, 4])).shape // [2, 48]
 */
export class Flatten extends Module {
  constructor(
    readonly startDim = 1,
    readonly endDim = -1,
  ) {
    super();
  }

  /** Constructor arguments as JSON, for `saveModel` (see `registerModule`). */
  getConfig(): ModuleConfig {
    return { startDim: this.startDim, endDim: this.endDim };
  }

  forward(x: Tensor): Tensor {
    return flatten(x, this.startDim, this.endDim);
  }

  override describe(): string {
    return `Flatten(startDim=${this.startDim}, endDim=${this.endDim})`;
  }
}
