import { softmax, type Tensor } from '@mapnn/core';
import { Module } from '../module.js';
import { type ModuleConfig } from '../serialization/config.js';

/**
 * `torch.nn.Softmax` as a module: exp(x)/Σexp(x) along `dim` (default the last).
 *
 * @example new Softmax(1).call(logits) // rows sum to 1
 */
export class Softmax extends Module {
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
    return softmax(x, this.dim);
  }

  override describe(): string {
    return `Softmax(dim=${this.dim})`;
  }
}
