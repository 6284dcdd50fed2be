import { fmtShape, where, type Tensor, type TensorLike } from '@mapnn/core';
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
  tryRead,
  type Reduction,
} from './util.js';

export interface BCELossOptions {
  /** 'mean' (default), 'sum' or 'none'. */
  reduction?: Reduction;
  /** Rescaling weight broadcastable to the input's shape (e.g. one per batch element). */
  weight?: TensorLike | null;
}

/** `max(log(x), -100)`, with a finite gradient also at `x = 0` (where the value is -100). */
function clampedLog(x: Tensor): Tensor {
  const pos = x.gt(0);
  return where(pos, where(pos, x, 1).log(), -100).clip(-100);
}

/**
 * Binary cross entropy on probabilities (`F.binary_cross_entropy`):
 * `−weight·(target·log(input) + (1 − target)·log(1 − input))`, reduced; each log is clamped
 * to ≥ −100 as in PyTorch, so saturated probabilities give a finite loss. `input` must lie in
 * [0, 1] (checked when the backend reads synchronously) and `target` must have its shape
 * (soft labels allowed). Prefer `bceWithLogitsLoss` on logits: it is numerically stable.
 *
 * @example
 * bceLoss(tensor([0.9, 0.2]), tensor([1, 0])); // −(log 0.9 + log 0.8) / 2
 */
export function bceLoss(input: TensorLike, target: TensorLike, options: BCELossOptions = {}): Tensor {
  const reduction = options.reduction ?? 'mean';
  checkReduction('bceLoss', reduction);
  const x = floatInput(input);
  const y = floatLike(target, x);
  checkSameShape('bceLoss', x, y);
  const data = tryRead(x);
  if (data) {
    for (let i = 0; i < data.length; i++) {
      const v = data[i]!;
      if (!(v >= 0 && v <= 1)) {
        throw new RangeError(
          `bceLoss: input ${fmtShape(x.shape)} must hold probabilities in [0, 1], got ${v} at flat index ${i}; ` +
            `use bceWithLogitsLoss for logits`,
        );
      }
    }
  }
  const w = elementWeight('bceLoss', options.weight, x);
  const oneMinusY = y.neg().add(1);
  let loss = y.mul(clampedLog(x)).add(oneMinusY.mul(clampedLog(x.neg().add(1)))).neg();
  if (w) loss = loss.mul(w);
  return reduce(loss, reduction);
}

/**
 * Module form of `bceLoss` (`nn.BCELoss`); `weight` is kept as a buffer.
 *
 * @example
 * const loss = new BCELoss().call(probs, labels);
 */
export class BCELoss extends Module<[Tensor, TensorLike], Tensor> {
  readonly reduction: Reduction;
  readonly weight: Tensor | null;
  constructor(options: BCELossOptions = {}) {
    super();
    this.reduction = options.reduction ?? 'mean';
    checkReduction('BCELoss', this.reduction);
    this.weight = ownedBuffer(options.weight);
  }
  forward(input: Tensor, target: TensorLike): Tensor {
    return bceLoss(input, target, { reduction: this.reduction, weight: this.weight });
  }
  override describe(): string {
    return describeOpts('BCELoss', { reduction: this.reduction, weight: this.weight });
  }
}
