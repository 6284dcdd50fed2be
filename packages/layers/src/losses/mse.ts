import type { Tensor, TensorLike } from '@mapnn/core';
import { Module } from '../module.js';
import { checkReduction, checkSameShape, describeOpts, floatInput, floatLike, reduce, type Reduction } from './util.js';

export interface MSELossOptions {
  /** 'mean' (default), 'sum' or 'none'. */
  reduction?: Reduction;
}

/**
 * Mean squared error (`F.mse_loss`): `(input − target)²`, reduced. `target` must have the
 * input's shape (PyTorch only warns on broadcasting; mapnn throws). Gradients flow to both.
 *
 * @example
 * mseLoss(tensor([1, 2, 3]), tensor([1, 2, 5])); // 4/3
 */
export function mseLoss(input: TensorLike, target: TensorLike, options: MSELossOptions = {}): Tensor {
  const reduction = options.reduction ?? 'mean';
  checkReduction('mseLoss', reduction);
  const x = floatInput(input);
  const y = floatLike(target, x);
  checkSameShape('mseLoss', x, y);
  return reduce(x.sub(y).square(), reduction);
}

/**
 * Module form of `mseLoss` (`nn.MSELoss`).
 *
 * @example
 * const loss = new MSELoss().call(pred, target);
 */
export class MSELoss extends Module<[Tensor, TensorLike], Tensor> {
  readonly reduction: Reduction;
  constructor(options: MSELossOptions = {}) {
    super();
    this.reduction = options.reduction ?? 'mean';
    checkReduction('MSELoss', this.reduction);
  }
  forward(input: Tensor, target: TensorLike): Tensor {
    return mseLoss(input, target, { reduction: this.reduction });
  }
  override describe(): string {
    return describeOpts('MSELoss', { reduction: this.reduction });
  }
}
