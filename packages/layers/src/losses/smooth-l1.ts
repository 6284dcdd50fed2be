import { where, type Tensor, type TensorLike } from '@mapnn/core';
import { Module } from '../module.js';
import { checkNumber, checkReduction, checkSameShape, describeOpts, floatInput, floatLike, reduce, type Reduction } from './util.js';

export interface SmoothL1LossOptions {
  /** 'mean' (default), 'sum' or 'none'. */
  reduction?: Reduction;
  /** Where the loss turns from quadratic to linear (≥ 0, default 1; 0 gives the L1 loss). */
  beta?: number;
}

/**
 * Smooth L1 loss (`F.smooth_l1_loss`): with `d = input − target`, `0.5·d²/beta` where
 * `|d| < beta`, else `|d| − 0.5·beta`, reduced. `beta = 0` is the L1 loss. (Huber with
 * `delta = beta` is `beta` times this.)
 *
 * @example
 * smoothL1Loss(tensor([0, 3]), tensor([0.5, 0])); // (0.125 + 2.5) / 2
 */
export function smoothL1Loss(input: TensorLike, target: TensorLike, options: SmoothL1LossOptions = {}): Tensor {
  const reduction = options.reduction ?? 'mean';
  const beta = options.beta ?? 1;
  checkReduction('smoothL1Loss', reduction);
  checkNumber('smoothL1Loss', 'beta', beta, true);
  const x = floatInput(input);
  const y = floatLike(target, x);
  checkSameShape('smoothL1Loss', x, y);
  const a = x.sub(y).abs();
  // beta = 0: plain L1 (the quadratic branch would divide by zero)
  const loss = beta === 0 ? a : where(a.lt(beta), a.square().mul(0.5 / beta), a.sub(0.5 * beta));
  return reduce(loss, reduction);
}

/**
 * Module form of `smoothL1Loss` (`nn.SmoothL1Loss`).
 *
 * @example
 * const loss = new SmoothL1Loss({ beta: 0.5 }).call(boxes, targetBoxes);
 */
export class SmoothL1Loss extends Module<[Tensor, TensorLike], Tensor> {
  readonly reduction: Reduction;
  readonly beta: number;
  constructor(options: SmoothL1LossOptions = {}) {
    super();
    this.reduction = options.reduction ?? 'mean';
    this.beta = options.beta ?? 1;
    checkReduction('SmoothL1Loss', this.reduction);
    checkNumber('SmoothL1Loss', 'beta', this.beta, true);
  }
  forward(input: Tensor, target: TensorLike): Tensor {
    return smoothL1Loss(input, target, { reduction: this.reduction, beta: this.beta });
  }
  override describe(): string {
    return describeOpts('SmoothL1Loss', { reduction: this.reduction, beta: this.beta });
  }
}
