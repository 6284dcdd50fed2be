import { where, type Tensor, type TensorLike } from '@mapnn/core';
import { Module } from '../module.js';
import { checkNumber, checkReduction, checkSameShape, describeOpts, floatInput, floatLike, reduce, type Reduction } from './util.js';

export interface HuberLossOptions {
  /** 'mean' (default), 'sum' or 'none'. */
  reduction?: Reduction;
  /** Where the loss turns from quadratic to linear (> 0, default 1). */
  delta?: number;
}

/**
 * Huber loss (`F.huber_loss`): with `d = input − target`, `0.5·d²` where `|d| < delta`, else
 * `delta·(|d| − 0.5·delta)`, reduced. Equals `delta · smoothL1Loss(…, beta = delta)`.
 * Robust regression: quadratic near the target, linear (outlier-tolerant) far from it.
 *
 * @example
 * huberLoss(tensor([0, 3]), tensor([0.5, 0]), { delta: 1 }); // (0.125 + 2.5) / 2
 */
export function huberLoss(input: TensorLike, target: TensorLike, options: HuberLossOptions = {}): Tensor {
  const reduction = options.reduction ?? 'mean';
  const delta = options.delta ?? 1;
  checkReduction('huberLoss', reduction);
  checkNumber('huberLoss', 'delta', delta);
  if (!(delta > 0)) throw new Error(`huberLoss: delta must be positive, got ${delta}`);
  const x = floatInput(input);
  const y = floatLike(target, x);
  checkSameShape('huberLoss', x, y);
  const d = x.sub(y);
  const a = d.abs();
  const loss = where(a.lt(delta), d.square().mul(0.5), a.sub(0.5 * delta).mul(delta));
  return reduce(loss, reduction);
}

/**
 * Module form of `huberLoss` (`nn.HuberLoss`).
 *
 * @example
 * const loss = new HuberLoss({ delta: 0.5 }).call(pred, target);
 */
export class HuberLoss extends Module<[Tensor, TensorLike], Tensor> {
  readonly reduction: Reduction;
  readonly delta: number;
  constructor(options: HuberLossOptions = {}) {
    super();
    this.reduction = options.reduction ?? 'mean';
    this.delta = options.delta ?? 1;
    checkReduction('HuberLoss', this.reduction);
    if (!(this.delta > 0)) throw new Error(`HuberLoss: delta must be positive, got ${this.delta}`);
  }
  forward(input: Tensor, target: TensorLike): Tensor {
    return huberLoss(input, target, { reduction: this.reduction, delta: this.delta });
  }
  override describe(): string {
    return describeOpts('HuberLoss', { reduction: this.reduction, delta: this.delta });
  }
}
