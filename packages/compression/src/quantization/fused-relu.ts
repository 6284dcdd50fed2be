import type { Tensor } from '@mapnn/core';
import { Module } from '@mapnn/layers';

/**
 * Stands where a ReLU was fused into the quantized layer before it (PyTorch's fusion leaves
 * `nn.Identity` there): passes its input through, so state-dict paths stay as they were.
 */
export class FusedReLU extends Module {
  forward(x: Tensor): Tensor {
    return x;
  }

  override describe(): string {
    return 'FusedReLU (in the layer before)';
  }
}
