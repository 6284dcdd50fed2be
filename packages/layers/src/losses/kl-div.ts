import { where, type Tensor, type TensorLike } from '@mapnn/core';
import { Module } from '../module.js';
import { checkReduction, checkSameShape, describeOpts, floatInput, floatLike, type Reduction } from './util.js';

/** KLDivLoss reductions: 'batchmean' (sum / batch size) is the true KL divergence. */
export type KLDivReduction = Reduction | 'batchmean';

const KL_REDUCTIONS = ['mean', 'sum', 'none', 'batchmean'] as const;

export interface KLDivLossOptions {
  /**
   * 'mean' (default, as PyTorch: divides by the number of elements — not the KL divergence),
   * 'batchmean' (sum / `input.shape[0]`: the KL divergence per sample), 'sum' or 'none'.
   */
  reduction?: KLDivReduction;
  /** Whether `target` holds log-probabilities (default false: probabilities). */
  logTarget?: boolean;
}

/**
 * Kullback–Leibler divergence loss (`F.kl_div`): `input` holds log-probabilities (e.g. from
 * `logSoftmax`), `target` probabilities (or log-probabilities with `logTarget`), same shape.
 * Pointwise `target·(log target − input)` (0 where target = 0), or with `logTarget`
 * `exp(target)·(target − input)`. Use `reduction: 'batchmean'` for the true KL(target ‖ input).
 *
 * @example
 * klDivLoss(logSoftmax(studentLogits, 1), softmax(teacherLogits, 1), { reduction: 'batchmean' });
 */
export function klDivLoss(input: TensorLike, target: TensorLike, options: KLDivLossOptions = {}): Tensor {
  const reduction = options.reduction ?? 'mean';
  checkReduction('klDivLoss', reduction, KL_REDUCTIONS);
  const x = floatInput(input);
  const y = floatLike(target, x);
  checkSameShape('klDivLoss', x, y);
  let loss: Tensor;
  if (options.logTarget) loss = y.exp().mul(y.sub(x));
  else {
    // xlogy(y, y) − y·x, with 0·log 0 = 0 (and a finite gradient there)
    const pos = y.gt(0);
    loss = y.mul(where(pos, where(pos, y, 1).log(), 0)).sub(y.mul(x));
  }
  if (reduction === 'none') return loss;
  if (reduction === 'sum') return loss.sum();
  if (reduction === 'mean') return loss.mean();
  return loss.sum().div(x.rank === 0 ? 1 : x.shape[0]!);
}

/**
 * Module form of `klDivLoss` (`nn.KLDivLoss`).
 *
 * @example
 * const crit = new KLDivLoss({ reduction: 'batchmean', logTarget: true });
 * const loss = crit.call(logSoftmax(student, 1), logSoftmax(teacher, 1));
 */
export class KLDivLoss extends Module<[Tensor, TensorLike], Tensor> {
  readonly reduction: KLDivReduction;
  readonly logTarget: boolean;
  constructor(options: KLDivLossOptions = {}) {
    super();
    this.reduction = options.reduction ?? 'mean';
    this.logTarget = options.logTarget ?? false;
    checkReduction('KLDivLoss', this.reduction, KL_REDUCTIONS);
  }
  forward(input: Tensor, target: TensorLike): Tensor {
    return klDivLoss(input, target, { reduction: this.reduction, logTarget: this.logTarget });
  }
  override describe(): string {
    return describeOpts('KLDivLoss', { reduction: this.reduction, logTarget: this.logTarget || undefined });
  }
}
