import { where, type Tensor, type TensorLike } from '@mapnn/core';
import { Module } from '../module.js';
import {
  checkNumber,
  checkReduction,
  classAxisShape,
  classIndexTarget,
  classWeight,
  describeOpts,
  floatInput,
  indexTarget,
  ownedBuffer,
  type Reduction,
} from './util.js';

export interface NLLLossOptions {
  /** 'mean' (default; weighted mean over the non-ignored targets), 'sum' or 'none'. */
  reduction?: Reduction;
  /** Per-class weight of shape `[C]`. */
  weight?: TensorLike | null;
  /** Targets equal to this index contribute nothing (nor to the mean's divisor). Default -100. */
  ignoreIndex?: number;
}

/**
 * @internal The weighted NLL of batched log-probabilities `logp [N, C, …]` at class indices
 * `t [N, …]`: per-sample losses, the per-sample weights (0 where ignored) and the validity
 * mask, so that cross entropy can add its label-smoothing term with the same normalisation.
 */
export function nllParts(
  logp: Tensor,
  t: Tensor,
  weight: Tensor | null,
  ignoreIndex: number,
): { loss: Tensor; sampleWeight: Tensor; valid: Tensor } {
  const valid = t.ne(ignoreIndex);
  const safe = where(valid, t, 0);
  const picked = logp.gather(1, safe.unsqueeze(1)).squeeze(1);
  let sampleWeight = valid.cast(logp.dtype);
  if (weight) sampleWeight = sampleWeight.mul(weight.indexSelect(0, safe.flatten()).reshape(t.shape));
  return { loss: picked.neg().mul(sampleWeight), sampleWeight, valid };
}

/** @internal Reduction of weighted per-sample losses: the 'mean' divides by the weight sum. */
export function weightedReduce(loss: Tensor, sampleWeight: Tensor, reduction: Reduction): Tensor {
  if (reduction === 'none') return loss;
  if (reduction === 'sum') return loss.sum();
  return loss.sum().div(sampleWeight.sum());
}

/** @internal A per-class weight reshaped to broadcast along axis 1 of `x`. */
export function classView(weight: Tensor, x: Tensor): Tensor {
  return weight.reshape(classAxisShape(weight.shape[0]!, x.rank));
}

/**
 * Negative log-likelihood (`F.nll_loss`) of log-probabilities `input` (`[C]`, `[N, C]` or
 * `[N, C, d1, …]`, e.g. from `logSoftmax(x, 1)`) at class indices `target` (`[]`, `[N]` or
 * `[N, d1, …]`, int32/int64): `−weight[t]·input[n, t]`. 'mean' divides by the sum of the
 * target weights of the non-ignored samples (the count when unweighted), as PyTorch; when
 * every target is ignored the mean is NaN (0/0), as PyTorch.
 *
 * @example
 * const logp = logSoftmax(logits, 1);                     // [N, C]
 * nllLoss(logp, tensor([0, 2], undefined, 'int64'));      // = crossEntropyLoss(logits, …)
 */
export function nllLoss(input: TensorLike, target: TensorLike, options: NLLLossOptions = {}): Tensor {
  const name = 'nllLoss';
  const reduction = options.reduction ?? 'mean';
  const ignoreIndex = options.ignoreIndex ?? -100;
  checkReduction(name, reduction);
  checkNumber(name, 'ignoreIndex', ignoreIndex);
  const x0 = floatInput(input);
  const { x, t, C, unbatched } = classIndexTarget(name, x0, indexTarget(target), ignoreIndex);
  const w = classWeight(name, options.weight, C, x0);
  const { loss, sampleWeight } = nllParts(x, t, w, ignoreIndex);
  if (reduction === 'none') return unbatched ? loss.squeeze(0) : loss;
  return weightedReduce(loss, sampleWeight, reduction);
}

/**
 * Module form of `nllLoss` (`nn.NLLLoss`); `weight` is kept as a buffer.
 *
 * @example
 * const crit = new NLLLoss({ ignoreIndex: 0 });
 * const loss = crit.call(logSoftmax(logits, 1), labels);
 */
export class NLLLoss extends Module<[Tensor, TensorLike], Tensor> {
  readonly reduction: Reduction;
  readonly weight: Tensor | null;
  readonly ignoreIndex: number;
  constructor(options: NLLLossOptions = {}) {
    super();
    this.reduction = options.reduction ?? 'mean';
    this.ignoreIndex = options.ignoreIndex ?? -100;
    checkReduction('NLLLoss', this.reduction);
    this.weight = ownedBuffer(options.weight);
  }
  forward(input: Tensor, target: TensorLike): Tensor {
    return nllLoss(input, target, { reduction: this.reduction, weight: this.weight, ignoreIndex: this.ignoreIndex });
  }
  override describe(): string {
    return describeOpts('NLLLoss', { reduction: this.reduction, weight: this.weight, ignoreIndex: this.ignoreIndex });
  }
}
