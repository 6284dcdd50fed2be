import { elu, type Tensor } from '@mapnn/core';
import { Module } from '../module.js';
import { type ModuleConfig } from '../serialization/config.js';

/**
 * `torch.nn.ELU` as a module: x for x > 0, alpha·(eˣ − 1) otherwise (default alpha 1).
 *
 * @example new ELU().call(tensor([-1, 2]))
 */
export class ELU extends Module {
  constructor(
    readonly alpha = 1,
  ) {
    super();
  }

  /** Constructor arguments as JSON, for `saveModel` (see `registerModule`). */
  getConfig(): ModuleConfig {
    return { alpha: this.alpha };
  }

  forward(x: Tensor): Tensor {
    return elu(x, this.alpha);
  }

  override describe(): string {
    return `ELU(alpha=${this.alpha})`;
  }
}
