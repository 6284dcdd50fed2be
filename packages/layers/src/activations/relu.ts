import { relu, type Tensor } from '@mapnn/core';
import { Module } from '../module.js';
import { type ModuleConfig } from '../serialization/config.js';

/**
 * `torch.nn.ReLU` as a module: max(0, x).
 *
 * @example new ReLU().call(tensor([-1, 2])) // [0, 2]
 */
export class ReLU extends Module {
  /** Constructor arguments as JSON, for `saveModel` (see `registerModule`). */
  getConfig(): ModuleConfig {
    return {};
  }

  forward(x: Tensor): Tensor {
    return relu(x);
  }

  override describe(): string {
    return 'ReLU';
  }
}
