import { leakyRelu, type Tensor } from '@mapnn/core';
import { Module } from '../module.js';
import { type ModuleConfig } from '../serialization/config.js';

/**
 * `torch.nn.LeakyReLU` as a module: x for x >= 0, negativeSlope·x otherwise (default slope 0.01).
 *
 * @example new LeakyReLU(0.2).call(tensor([-1, 2])) // [-0.2, 2]
 */
export class LeakyReLU extends Module {
  constructor(
    readonly negativeSlope = 0.01,
  ) {
    super();
  }

  /** Constructor arguments as JSON, for `saveModel` (see `registerModule`). */
  getConfig(): ModuleConfig {
    return { negativeSlope: this.negativeSlope };
  }

  forward(x: Tensor): Tensor {
    return leakyRelu(x, this.negativeSlope);
  }

  override describe(): string {
    return `LeakyReLU(negativeSlope=${this.negativeSlope})`;
  }
}
