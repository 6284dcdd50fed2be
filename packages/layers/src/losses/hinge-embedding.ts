import { where, type Tensor, type TensorLike } from '@mapnn/core';
import { Module } from '../module.js';
import { checkNumber, checkReduction, checkSameShape, describeOpts, floatInput, floatLike, reduce, type Reduction } from './util.js';

export interface HingeEmbeddingLossOptions {
  /** 'mean' (default), 'sum' or 'none'. */
  reduction?: Reduction;
  /** Margin for the dissimilar pairs (default 1). */
  margin?: number;
}

/**
 * Hinge embedding loss (`F.hinge_embedding_loss`) for distances `input` with labels `target`
 * in {1, −1} (same shape): `input` where `target = 1`, `max(0, margin − input)` where
 * `target = −1`. As in PyTorch, labels other than ±1 get both terms, and the loss can be
 * negative (for negative inputs with label 1). Typically `input` is a pairwise distance.
 *
 * @example
 * hingeEmbeddingLoss(tensor([0.3, 0.2]), tensor([1, -1])); // (0.3 + 0.8) / 2
 */
export function hingeEmbeddingLoss(input: TensorLike, target: TensorLike, options: HingeEmbeddingLossOptions = {}): Tensor {
  const reduction = options.reduction ?? 'mean';
  const margin = options.margin ?? 1;
  checkReduction('hingeEmbeddingLoss', reduction);
  checkNumber('hingeEmbeddingLoss', 'margin', margin);
  const x = floatInput(input);
  const y = floatLike(target, x);
  checkSameShape('hingeEmbeddingLoss', x, y);
  const marginTerm = where(y.ne(1), x.neg().add(margin).relu(), 0);
  const selfTerm = where(y.ne(-1), x, 0);
  return reduce(marginTerm.add(selfTerm), reduction);
}

/**
 * Module form of `hingeEmbeddingLoss` (`nn.HingeEmbeddingLoss`).
 *
 * @example
 * const loss = new HingeEmbeddingLoss({ margin: 2 }).call(distances, labels);
 */
export class HingeEmbeddingLoss extends Module<[Tensor, TensorLike], Tensor> {
  readonly reduction: Reduction;
  readonly margin: number;
  constructor(options: HingeEmbeddingLossOptions = {}) {
    super();
    this.reduction = options.reduction ?? 'mean';
    this.margin = options.margin ?? 1;
    checkReduction('HingeEmbeddingLoss', this.reduction);
  }
  forward(input: Tensor, target: TensorLike): Tensor {
    return hingeEmbeddingLoss(input, target, { reduction: this.reduction, margin: this.margin });
  }
  override describe(): string {
    return describeOpts('HingeEmbeddingLoss', { reduction: this.reduction, margin: this.margin });
  }
}
