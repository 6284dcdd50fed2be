import { relu, type Tensor } from '@mapnn/core';
import { Module } from '../module.js';

/**
 * `torch.nn.ReLU` as a module: max(0, x).
 *
 * @example new ReLU().call(tensor([-1, 2])) // [0, 2]
 */
export class ReLU extends Module {
  forward(x: Tensor): Tensor {
    return relu(x);
  }

  override describe(): string {
    return 'ReLU';
  }
}
