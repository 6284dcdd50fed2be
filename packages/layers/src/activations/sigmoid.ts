import { sigmoid, type Tensor } from '@mapnn/core';
import { Module } from '../module.js';
import { type ModuleConfig } from '../serialization/config.js';

/**
 * `torch.nn.Sigmoid` as a module: 1/(1 + e⁻ˣ).
 *
 * @example new Sigmoid().call(tensor([0])) // [0.5]
 */
export class Sigmoid extends Module {
  /** Constructor arguments as JSON, for `saveModel` (see `registerModule`). */
  getConfig(): ModuleConfig {
    return {};
  }

  forward(x: Tensor): Tensor {
    return sigmoid(x);
  }

  override describe(): string {
    return 'Sigmoid';
  }
}
