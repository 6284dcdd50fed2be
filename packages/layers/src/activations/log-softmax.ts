import { logSoftmax, type Tensor } from '@mapnn/core';
import { Module } from '../module.js';
import { type ModuleConfig } from '../serialization/config.js';

/**
 * `torch.nn.LogSoftmax` as a module: log(softmax(x)) along `dim` (default the last), computed stably.
 *
 * @example new LogSoftmax(1).call(logits)
 */
export class LogSoftmax extends Module {
  constructor(
    readonly dim = -1,
  ) {
    super();
  }

  /** Constructor arguments as JSON, for `saveModel` (see `registerModule`). */
  getConfig(): ModuleConfig {
    return { dim: this.dim };
  }

  forward(x: Tensor): Tensor {
    return logSoftmax(x, this.dim);
  }

  override describe(): string {
    return `LogSoftmax(dim=${this.dim})`;
  }
}
