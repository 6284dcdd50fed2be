import { silu, type Tensor } from '@mapnn/core';
import { Module } from '../module.js';

/**
 * `torch.nn.SiLU` as a module: x·sigmoid(x) (swish).
 *
 * @example new SiLU().call(tensor([-1, 2]))
 */
export class SiLU extends Module {
  forward(x: Tensor): Tensor {
    return silu(x);
  }

  override describe(): string {
    return 'SiLU';
  }
}
