import type { Tensor, TensorLike } from '@mapnn/core';
import { Module } from '../module.js';
import { checkReduction, checkSameShape, describeOpts, floatInput, floatLike, reduce, type Reduction } from './util.js';

export interface L1LossOptions {
  /** 'mean' (default), 'sum' or 'none'. */
  reduction?: Reduction;
}

/**
 * Mean absolute error (`F.l1_loss`, alias `maeLoss`): `|input − target|`, reduced. `target`
 * must have the input's shape. The gradient at `input = target` is 0 (as PyTorch).
 *
 * @example
 * l1Loss(tensor([1, 2, 3]), tensor([1, 0, 4])); // (0 + 2 + 1) / 3 = 1
 */
export function l1Loss(input: TensorLike, target: TensorLike, options: L1LossOptions = {}): Tensor {
  const reduction = options.reduction ?? 'mean';
  checkReduction('l1Loss', reduction);
  const x = floatInput(input);
  const y = floatLike(target, x);
  checkSameShape('l1Loss', x, y);
  return reduce(x.sub(y).abs(), reduction);
}

/** Alias of `l1Loss` (mean absolute error). */
export const maeLoss = l1Loss;

/**
 * Module form of `l1Loss` (`nn.L1Loss`; alias `MAELoss`).
 *
 * @example
 * const loss = new L1Loss({ reduction: 'sum' }).call(pred, target);
 */
export class L1Loss extends Module<[Tensor, TensorLike], Tensor> {
  readonly reduction: Reduction;
  constructor(options: L1LossOptions = {}) {
    super();
    this.reduction = options.reduction ?? 'mean';
    checkReduction('L1Loss', this.reduction);
  }
  forward(input: Tensor, target: TensorLike): Tensor {
    return l1Loss(input, target, { reduction: this.reduction });
  }
  override describe(): string {
    return describeOpts(this.constructor.name, { reduction: this.reduction });
  }
}

/** Alias of `L1Loss` (mean absolute error). */
export class MAELoss extends L1Loss {}
