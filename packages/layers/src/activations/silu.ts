import { silu, type Tensor } from '@mapnn/core';
import { Module } from '../module.js';
import { type ModuleConfig } from '../serialization/config.js';

/**
 * `torch.nn.SiLU` as a module: x·sigmoid(x) (swish).
 *
 * @example new SiLU().call(tensor([-1, 2]))
 */
export class SiLU extends Module {
  /** Constructor arguments as JSON, for `saveModel` (see `registerModule`). */
  getConfig(): ModuleConfig {
    return {};
  }

  forward(x: Tensor): Tensor {
    return silu(x);
  }

  override describe(): string {
    return 'SiLU';
  }
}
