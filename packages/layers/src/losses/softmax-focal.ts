import { where, type Tensor, type TensorLike } from '@mapnn/core';
import { Module } from '../module.js';
import { nllParts } from './nll.js';
import {
  checkNumber,
  checkReduction,
  classIndexTarget,
  classWeight,
  describeOpts,
  floatInput,
  indexTarget,
  ownedBuffer,
  type Reduction,
} from './util.js';

export interface SoftmaxFocalLossOptions {
  /** 'mean' (default: over the non-ignored samples), 'sum' or 'none'. */
  reduction?: Reduction;
  /** Focusing exponent ≥ 0 (default 2); 0 gives (alpha-weighted) cross entropy. */
  gamma?: number;
  /** Optional per-class weight `[C]` (e.g. inverse class frequencies). */
  alpha?: TensorLike | null;
  /** Targets equal to this index contribute nothing (default -100). */
  ignoreIndex?: number;
}

/**
 * Multi-class focal loss on logits, for class imbalance: `input` `[N, C]` / `[N, C, d1, …]` /
 * `[C]`, class indices `target` `[N, d1, …]`; per sample
 * `−alpha[t]·(1 − p_t)^gamma·log p_t` with `p_t = softmax(input)[t]`. 'mean' averages over the
 * non-ignored samples (alpha is a per-sample multiplier here, not a normaliser as in
 * cross entropy's weighted mean). With `gamma = 0` and no alpha it equals `crossEntropyLoss`.
 *
 * @example
 * softmaxFocalLoss(logits, labels, { gamma: 2, alpha: [0.25, 1, 1] });
 */
export function softmaxFocalLoss(input: TensorLike, target: TensorLike, options: SoftmaxFocalLossOptions = {}): Tensor {
  const name = 'softmaxFocalLoss';
  const reduction = options.reduction ?? 'mean';
  const gamma = options.gamma ?? 2;
  const ignoreIndex = options.ignoreIndex ?? -100;
  checkReduction(name, reduction);
  checkNumber(name, 'gamma', gamma, true);
  checkNumber(name, 'ignoreIndex', ignoreIndex);
  const x0 = floatInput(input);
  const { x, t, C, unbatched } = classIndexTarget(name, x0, indexTarget(target), ignoreIndex);
  const alpha = classWeight(name, options.alpha, C, x0, 'alpha');
  // per-sample −log p_t (0 where ignored)
  const { loss: nll, valid } = nllParts(x.logSoftmax(1), t, null, ignoreIndex);
  let loss = nll;
  if (gamma !== 0) {
    const m = nll.neg().expm1().neg(); // 1 − p_t, accurate as p_t → 1
    loss = loss.mul(gamma === 1 ? m : gamma === 2 ? m.square() : m.pow(gamma));
  }
  if (alpha) loss = loss.mul(alpha.indexSelect(0, where(valid, t, 0).flatten()).reshape(t.shape));
  if (reduction === 'none') return unbatched ? loss.squeeze(0) : loss;
  if (reduction === 'sum') return loss.sum();
  return loss.sum().div(valid.cast(loss.dtype).sum());
}

/**
 * Module form of `softmaxFocalLoss` (multi-class focal loss); `alpha` is kept as a buffer.
 *
 * @example
 * const crit = new SoftmaxFocalLoss({ gamma: 2 });
 * const loss = crit.call(logits, labels);
 */
export class SoftmaxFocalLoss extends Module<[Tensor, TensorLike], Tensor> {
  readonly reduction: Reduction;
  readonly gamma: number;
  readonly alpha: Tensor | null;
  readonly ignoreIndex: number;
  constructor(options: SoftmaxFocalLossOptions = {}) {
    super();
    this.reduction = options.reduction ?? 'mean';
    this.gamma = options.gamma ?? 2;
    this.ignoreIndex = options.ignoreIndex ?? -100;
    checkReduction('SoftmaxFocalLoss', this.reduction);
    checkNumber('SoftmaxFocalLoss', 'gamma', this.gamma, true);
    this.alpha = ownedBuffer(options.alpha);
  }
  forward(input: Tensor, target: TensorLike): Tensor {
    return softmaxFocalLoss(input, target, {
      reduction: this.reduction,
      gamma: this.gamma,
      alpha: this.alpha,
      ignoreIndex: this.ignoreIndex,
    });
  }
  override describe(): string {
    return describeOpts('SoftmaxFocalLoss', { reduction: this.reduction, gamma: this.gamma, alpha: this.alpha });
  }
}
