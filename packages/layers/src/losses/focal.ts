import type { Tensor, TensorLike } from '@mapnn/core';
import { Module } from '../module.js';
import { bceWithLogitsLoss } from './bce-with-logits.js';
import { checkNumber, checkReduction, checkSameShape, describeOpts, floatInput, floatLike, reduce, type Reduction } from './util.js';

export interface FocalLossOptions {
  /** 'mean' (default), 'sum' or 'none' (torchvision's default is 'none'). */
  reduction?: Reduction;
  /**
   * Weight of the positive class in (0, 1); negatives get `1 − alpha`. Default 0.25
   * (torchvision); a negative value or null disables the weighting.
   */
  alpha?: number | null;
  /** Focusing exponent ≥ 0 (default 2); 0 gives the (alpha-weighted) binary cross entropy. */
  gamma?: number;
}

/**
 * Binary focal loss on logits (Lin et al. 2017; `torchvision.ops.sigmoid_focal_loss`), for
 * class imbalance (dense detection, rare labels): with `p = σ(input)` and
 * `p_t = p·target + (1 − p)·(1 − target)`,
 * `alpha_t·(1 − p_t)^gamma·bce_with_logits(input, target)` where
 * `alpha_t = alpha·target + (1 − alpha)·(1 − target)`. Well-classified examples (p_t → 1) are
 * down-weighted. `target` has the input's shape, values in [0, 1]. Alias `sigmoidFocalLoss`.
 *
 * @example
 * focalLoss(logits, labels, { alpha: 0.25, gamma: 2 });
 */
export function focalLoss(input: TensorLike, target: TensorLike, options: FocalLossOptions = {}): Tensor {
  const name = 'focalLoss';
  const reduction = options.reduction ?? 'mean';
  const alpha = options.alpha === undefined ? 0.25 : options.alpha;
  const gamma = options.gamma ?? 2;
  checkReduction(name, reduction);
  checkNumber(name, 'gamma', gamma, true);
  if (alpha !== null) checkNumber(name, 'alpha', alpha);
  const x = floatInput(input);
  const y = floatLike(target, x);
  checkSameShape(name, x, y);
  let loss = bceWithLogitsLoss(x, y, { reduction: 'none' });
  if (gamma !== 0) {
    const p = x.sigmoid();
    const oneMinusY = y.neg().add(1);
    const pt = p.mul(y).add(p.neg().add(1).mul(oneMinusY));
    const m = pt.neg().add(1);
    loss = loss.mul(gamma === 1 ? m : gamma === 2 ? m.square() : m.pow(gamma));
  }
  if (alpha !== null && alpha >= 0) {
    const alphaT = y.mul(alpha).add(y.neg().add(1).mul(1 - alpha));
    loss = loss.mul(alphaT);
  }
  return reduce(loss, reduction);
}

/** Alias of `focalLoss` (torchvision's name). */
export const sigmoidFocalLoss = focalLoss;

/**
 * Module form of `focalLoss` (binary, on logits).
 *
 * @example
 * const crit = new FocalLoss({ alpha: 0.25, gamma: 2 });
 * const loss = crit.call(logits, labels);
 */
export class FocalLoss extends Module<[Tensor, TensorLike], Tensor> {
  readonly reduction: Reduction;
  readonly alpha: number | null;
  readonly gamma: number;
  constructor(options: FocalLossOptions = {}) {
    super();
    this.reduction = options.reduction ?? 'mean';
    this.alpha = options.alpha === undefined ? 0.25 : options.alpha;
    this.gamma = options.gamma ?? 2;
    checkReduction('FocalLoss', this.reduction);
    checkNumber('FocalLoss', 'gamma', this.gamma, true);
  }
  forward(input: Tensor, target: TensorLike): Tensor {
    return focalLoss(input, target, { reduction: this.reduction, alpha: this.alpha, gamma: this.gamma });
  }
  override describe(): string {
    return describeOpts('FocalLoss', { reduction: this.reduction, alpha: this.alpha, gamma: this.gamma });
  }
}
