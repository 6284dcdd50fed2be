import { tanh, type Tensor } from '@mapnn/core';
import { Module } from '../module.js';
import { type ModuleConfig } from '../serialization/config.js';

/**
 * `torch.nn.Tanh` as a module: hyperbolic tangent.
 *
 * @example new Tanh().call(tensor([0, 1]))
 */
export class Tanh extends Module {
  /** Constructor arguments as JSON, for `saveModel` (see `registerModule`). */
  getConfig(): ModuleConfig {
    return {};
  }

  forward(x: Tensor): Tensor {
    return tanh(x);
  }

  override describe(): string {
    return 'Tanh';
  }
}
