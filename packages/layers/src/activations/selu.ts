import { selu, type Tensor } from '@mapnn/core';
import { Module } from '../module.js';
import { type ModuleConfig } from '../serialization/config.js';

/**
 * `torch.nn.SELU` as a module: scale·(max(0, x) + min(0, alpha·(eˣ − 1))) with the self-normalising constants (pair it with lecunNormal init).
 *
 * @example new SELU().call(tensor([-1, 2]))
 */
export class SELU extends Module {
  /** Constructor arguments as JSON, for `saveModel` (see `registerModule`). */
  getConfig(): ModuleConfig {
    return {};
  }

  forward(x: Tensor): Tensor {
    return selu(x);
  }

  override describe(): string {
    return 'SELU';
  }
}
