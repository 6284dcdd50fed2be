import { fmtShape, where, type Tensor, type TensorLike } from '@mapnn/core';
import { Module } from '../module.js';
import { checkNumber, checkReduction, describeOpts, floatInput, floatLike, reduce, sameShape, type Reduction } from './util.js';

export interface CosineEmbeddingLossOptions {
  /** 'mean' (default), 'sum' or 'none'. */
  reduction?: Reduction;
  /** Margin for dissimilar pairs, in [−1, 1] (0 to 0.5 suggested; default 0). */
  margin?: number;
}

/**
 * Cosine embedding loss (`F.cosine_embedding_loss`) for pairs `input1`, `input2` (`[N, D]` or
 * `[D]`) with labels `target` (`[N]` or `[]`) in {1, −1}: `1 − cos(x1, x2)` for 1,
 * `max(0, cos(x1, x2) − margin)` for −1 (0 for other labels). As PyTorch, 1e-12 is added to
 * each squared norm, so zero vectors give cos = 0.
 *
 * @example
 * cosineEmbeddingLoss(a, b, tensor([1, -1, 1]), { margin: 0.2 }); // a, b [3, D]
 */
export function cosineEmbeddingLoss(
  input1: TensorLike,
  input2: TensorLike,
  target: TensorLike,
  options: CosineEmbeddingLossOptions = {},
): Tensor {
  const name = 'cosineEmbeddingLoss';
  const reduction = options.reduction ?? 'mean';
  const margin = options.margin ?? 0;
  checkReduction(name, reduction);
  checkNumber(name, 'margin', margin);
  const a = floatInput(input1);
  const b = floatLike(input2, a);
  const y = floatLike(target, a);
  if (a.rank < 1 || a.rank > 2) throw new Error(`${name}: input1 must have shape [N, D] or [D], got ${fmtShape(a.shape)}`);
  if (!sameShape(a.shape, b.shape)) {
    throw new Error(`${name}: input2 shape ${fmtShape(b.shape)} does not match input1 shape ${fmtShape(a.shape)}; expected equal shapes`);
  }
  const want = a.shape.slice(0, -1);
  if (!sameShape(y.shape, want)) {
    throw new Error(
      `${name}: target shape ${fmtShape(y.shape)} does not match inputs ${fmtShape(a.shape)}; expected target of shape ${fmtShape(want)}`,
    );
  }
  const axis = a.rank - 1;
  const dot = a.mul(b).sum(axis);
  const n1 = a.square().sum(axis).add(1e-12);
  const n2 = b.square().sum(axis).add(1e-12);
  const cos = dot.div(n1.mul(n2).sqrt());
  const pos = where(y.eq(1), cos.neg().add(1), 0);
  const neg = where(y.eq(-1), cos.sub(margin).relu(), 0);
  return reduce(pos.add(neg), reduction);
}

/**
 * Module form of `cosineEmbeddingLoss` (`nn.CosineEmbeddingLoss`); call with
 * `(input1, input2, target)`.
 *
 * @example
 * const loss = new CosineEmbeddingLoss({ margin: 0.3 }).call(emb1, emb2, labels);
 */
export class CosineEmbeddingLoss extends Module<[Tensor, Tensor, TensorLike], Tensor> {
  readonly reduction: Reduction;
  readonly margin: number;
  constructor(options: CosineEmbeddingLossOptions = {}) {
    super();
    this.reduction = options.reduction ?? 'mean';
    this.margin = options.margin ?? 0;
    checkReduction('CosineEmbeddingLoss', this.reduction);
  }
  forward(input1: Tensor, input2: Tensor, target: TensorLike): Tensor {
    return cosineEmbeddingLoss(input1, input2, target, { reduction: this.reduction, margin: this.margin });
  }
  override describe(): string {
    return describeOpts('CosineEmbeddingLoss', { reduction: this.reduction, margin: this.margin });
  }
}
