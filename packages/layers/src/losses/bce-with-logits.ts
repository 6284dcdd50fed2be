import { softplus, type Tensor, type TensorLike } from '@mapnn/core';
import { Module } from '../module.js';
import {
  checkReduction,
  checkSameShape,
  describeOpts,
  elementWeight,
  floatInput,
  floatLike,
  ownedBuffer,
  reduce,
  type Reduction,
} from './util.js';

export interface BCEWithLogitsLossOptions {
  /** 'mean' (default), 'sum' or 'none'. */
  reduction?: Reduction;
  /** Rescaling weight broadcastable to the input's shape. */
  weight?: TensorLike | null;
  /**
   * Weight of the positive examples, broadcastable to the input's shape — usually one per
   * class (last dim), e.g. `negatives / positives` to balance rare labels.
   */
  posWeight?: TensorLike | null;
}

/**
 * Binary cross entropy on logits (`F.binary_cross_entropy_with_logits`), numerically stable:
 * `weight·((1 − target)·x + (1 + (posWeight − 1)·target)·softplus(−x))`, which equals
 * `−weight·(posWeight·target·log σ(x) + (1 − target)·log(1 − σ(x)))` without computing σ.
 * `target` must have the input's shape (soft labels allowed); gradients flow to both.
 *
 * @example
 * bceWithLogitsLoss(tensor([2, -1]), tensor([1, 0]), { posWeight: tensor([3]) });
 */
export function bceWithLogitsLoss(input: TensorLike, target: TensorLike, options: BCEWithLogitsLossOptions = {}): Tensor {
  const reduction = options.reduction ?? 'mean';
  checkReduction('bceWithLogitsLoss', reduction);
  const x = floatInput(input);
  const y = floatLike(target, x);
  checkSameShape('bceWithLogitsLoss', x, y);
  const w = elementWeight('bceWithLogitsLoss', options.weight, x);
  const pw = elementWeight('bceWithLogitsLoss', options.posWeight, x, 'posWeight');
  const spNeg = softplus(x.neg()); // −log σ(x)
  const logWeight = pw ? pw.sub(1).mul(y).add(1) : null;
  let loss = y.neg().add(1).mul(x).add(logWeight ? logWeight.mul(spNeg) : spNeg);
  if (w) loss = loss.mul(w);
  return reduce(loss, reduction);
}

/**
 * Module form of `bceWithLogitsLoss` (`nn.BCEWithLogitsLoss`); `weight` and `posWeight` are
 * kept as buffers.
 *
 * @example
 * const crit = new BCEWithLogitsLoss({ posWeight: tensor([4, 1, 2]) });
 * const loss = crit.call(logits, labels); // logits, labels [N, 3]
 */
export class BCEWithLogitsLoss extends Module<[Tensor, TensorLike], Tensor> {
  readonly reduction: Reduction;
  readonly weight: Tensor | null;
  readonly posWeight: Tensor | null;
  constructor(options: BCEWithLogitsLossOptions = {}) {
    super();
    this.reduction = options.reduction ?? 'mean';
    checkReduction('BCEWithLogitsLoss', this.reduction);
    this.weight = ownedBuffer(options.weight);
    this.posWeight = ownedBuffer(options.posWeight);
  }
  forward(input: Tensor, target: TensorLike): Tensor {
    return bceWithLogitsLoss(input, target, { reduction: this.reduction, weight: this.weight, posWeight: this.posWeight });
  }
  override describe(): string {
    return describeOpts('BCEWithLogitsLoss', { reduction: this.reduction, weight: this.weight, posWeight: this.posWeight });
  }
}
