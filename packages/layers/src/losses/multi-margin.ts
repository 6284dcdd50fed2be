import { fmtShape, oneHot, type Tensor, type TensorLike } from '@mapnn/core';
import { Module } from '../module.js';
import {
  checkNumber,
  checkReduction,
  classIndexTarget,
  classWeight,
  describeOpts,
  floatInput,
  indexTarget,
  ownedBuffer,
  reduce,
  type Reduction,
} from './util.js';

export interface MultiMarginLossOptions {
  /** 'mean' (default), 'sum' or 'none'. */
  reduction?: Reduction;
  /** 1 (default, hinge) or 2 (squared hinge). */
  p?: 1 | 2;
  /** Margin (default 1). */
  margin?: number;
  /** Per-class weight `[C]`, applied by the target class. */
  weight?: TensorLike | null;
}

/**
 * Multi-class margin loss (`F.multi_margin_loss`), the multi-class SVM hinge: for scores
 * `input` `[N, C]` (or `[C]`) and class indices `target` `[N]` (or `[]`),
 * `Σ_{i ≠ y} weight[y]·max(0, margin − x[y] + x[i])^p / C` per sample — divided by the number
 * of classes C, as PyTorch — then reduced over the batch.
 *
 * @example
 * multiMarginLoss(tensor([[0.1, 0.2, 0.4, 0.8]]), tensor([3], undefined, 'int64')); // (0.3 + 0.4 + 0.6) / 4
 */
export function multiMarginLoss(input: TensorLike, target: TensorLike, options: MultiMarginLossOptions = {}): Tensor {
  const name = 'multiMarginLoss';
  const reduction = options.reduction ?? 'mean';
  const p = options.p ?? 1;
  const margin = options.margin ?? 1;
  checkReduction(name, reduction);
  checkNumber(name, 'margin', margin);
  if (p !== 1 && p !== 2) throw new Error(`${name}: p must be 1 or 2, got ${p}`);
  const x0 = floatInput(input);
  if (x0.rank > 2) throw new Error(`${name}: input must have shape [C] or [N, C], got ${fmtShape(x0.shape)}`);
  const { x, t, C, unbatched } = classIndexTarget(name, x0, indexTarget(target), null);
  const w = classWeight(name, options.weight, C, x0);
  const col = t.unsqueeze(1); // [N, 1]
  const xy = x.gather(1, col);
  let z = x.sub(xy).add(margin).relu();
  if (p === 2) z = z.square();
  let others = oneHot(t, C).neg().add(1); // 0 at the target class
  if (w) others = others.mul(w.indexSelect(0, t).unsqueeze(1));
  const loss = z.mul(others.cast(z.dtype)).sum(1).div(C);
  return reduce(unbatched ? loss.squeeze(0) : loss, reduction);
}

/**
 * Module form of `multiMarginLoss` (`nn.MultiMarginLoss`); `weight` is kept as a buffer.
 *
 * @example
 * const loss = new MultiMarginLoss({ p: 2, margin: 0.5 }).call(scores, labels);
 */
export class MultiMarginLoss extends Module<[Tensor, TensorLike], Tensor> {
  readonly reduction: Reduction;
  readonly p: 1 | 2;
  readonly margin: number;
  readonly weight: Tensor | null;
  constructor(options: MultiMarginLossOptions = {}) {
    super();
    this.reduction = options.reduction ?? 'mean';
    this.p = options.p ?? 1;
    this.margin = options.margin ?? 1;
    checkReduction('MultiMarginLoss', this.reduction);
    if (this.p !== 1 && this.p !== 2) throw new Error(`MultiMarginLoss: p must be 1 or 2, got ${this.p}`);
    this.weight = ownedBuffer(options.weight);
  }
  forward(input: Tensor, target: TensorLike): Tensor {
    return multiMarginLoss(input, target, { reduction: this.reduction, p: this.p, margin: this.margin, weight: this.weight });
  }
  override describe(): string {
    return describeOpts('MultiMarginLoss', { reduction: this.reduction, p: this.p, margin: this.margin, weight: this.weight });
  }
}
