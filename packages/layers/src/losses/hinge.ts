import { fmtShape, type Tensor, type TensorLike } from '@mapnn/core';
import { Module } from '../module.js';
import { checkNumber, checkReduction, checkSameShape, describeOpts, floatInput, floatLike, reduce, tryRead, type Reduction } from './util.js';

export interface HingeLossOptions {
  /** 'mean' (default), 'sum' or 'none'. */
  reduction?: Reduction;
  /** Margin (default 1). */
  margin?: number;
}

/**
 * Binary hinge loss of the (linear) support vector machine: `max(0, margin − y·x)` for scores
 * `input` and labels `target` in {−1, 1} (same shape), reduced — the mean by default, i.e.
 * `mean(max(0, 1 − y·x))`. Add an L2 penalty on the weights for the soft-margin SVM. Not a
 * PyTorch loss (PyTorch's `HingeEmbeddingLoss` is a different one); labels other than ±1 throw.
 *
 * @example
 * hingeLoss(tensor([2, 0.5, -1]), tensor([1, 1, 1])); // (0 + 0.5 + 2) / 3
 */
export function hingeLoss(input: TensorLike, target: TensorLike, options: HingeLossOptions = {}): Tensor {
  const reduction = options.reduction ?? 'mean';
  const margin = options.margin ?? 1;
  checkReduction('hingeLoss', reduction);
  checkNumber('hingeLoss', 'margin', margin);
  const x = floatInput(input);
  const y = floatLike(target, x);
  checkSameShape('hingeLoss', x, y);
  const labels = tryRead(y);
  if (labels) {
    for (let i = 0; i < labels.length; i++) {
      if (labels[i] !== 1 && labels[i] !== -1) {
        throw new RangeError(`hingeLoss: target ${fmtShape(y.shape)} must hold labels −1 or 1, got ${labels[i]} at flat index ${i}`);
      }
    }
  }
  return reduce(y.mul(x).neg().add(margin).relu(), reduction);
}

/**
 * Module form of `hingeLoss` (binary SVM hinge).
 *
 * @example
 * const loss = new HingeLoss().call(scores, labels); // labels in {−1, 1}
 */
export class HingeLoss extends Module<[Tensor, TensorLike], Tensor> {
  readonly reduction: Reduction;
  readonly margin: number;
  constructor(options: HingeLossOptions = {}) {
    super();
    this.reduction = options.reduction ?? 'mean';
    this.margin = options.margin ?? 1;
    checkReduction('HingeLoss', this.reduction);
  }
  forward(input: Tensor, target: TensorLike): Tensor {
    return hingeLoss(input, target, { reduction: this.reduction, margin: this.margin });
  }
  override describe(): string {
    return describeOpts('HingeLoss', { reduction: this.reduction, margin: this.margin });
  }
}
