import { softplus, type Tensor } from '@mapnn/core';
import { Module } from '../module.js';
import { type ModuleConfig } from '../serialization/config.js';

/**
 * `torch.nn.Softplus` as a module: log(1 + e^(beta·x))/beta, linear above `threshold` (defaults beta 1, threshold 20).
 *
 * @example new Softplus().call(tensor([0])) // [0.6931]
 */
export class Softplus extends Module {
  constructor(
    readonly beta = 1,
    readonly threshold = 20,
  ) {
    super();
  }

  /** Constructor arguments as JSON, for `saveModel` (see `registerModule`). */
  getConfig(): ModuleConfig {
    return { beta: this.beta, threshold: this.threshold };
  }

  forward(x: Tensor): Tensor {
    return softplus(x, this.beta, this.threshold);
  }

  override describe(): string {
    return `Softplus(beta=${this.beta}, threshold=${this.threshold})`;
  }
}
