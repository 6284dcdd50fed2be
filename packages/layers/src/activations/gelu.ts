import { gelu, type Tensor } from '@mapnn/core';
import { Module } from '../module.js';
import { type ModuleConfig } from '../serialization/config.js';

/**
 * `torch.nn.GELU` as a module: x·Φ(x), exact (erf, default) or with the tanh approximation (approximate = 'tanh').
 *
 * @example new GELU('tanh').call(tensor([-1, 2]))
 */
export class GELU extends Module {
  constructor(
    readonly approximate: 'none' | 'tanh' = 'none',
  ) {
    super();
  }

  /** Constructor arguments as JSON, for `saveModel` (see `registerModule`). */
  getConfig(): ModuleConfig {
    return { approximate: this.approximate };
  }

  forward(x: Tensor): Tensor {
    return gelu(x, this.approximate);
  }

  override describe(): string {
    return `GELU(approximate='${this.approximate}')`;
  }
}
