import { fmtShape as fmt, isFloat, isTensor, tensor, toTensor, type Tensor, type TensorLike } from '@mapnn/core';
import { Module } from '../module.js';
import { classView, nllParts, weightedReduce } from './nll.js';
import {
  checkNumber,
  checkReduction,
  classIndexTarget,
  classWeight,
  describeOpts,
  floatInput,
  floatLike,
  ownedBuffer,
  sameShape,
  type Reduction,
} from './util.js';

export interface CrossEntropyLossOptions {
  /**
   * 'mean' (default), 'sum' or 'none'. With class indices, 'mean' divides by the sum of the
   * target-class weights of the non-ignored samples; with probabilities, by the number of
   * samples (`N·d1·…`).
   */
  reduction?: Reduction;
  /** Per-class weight of shape `[C]` (class imbalance). */
  weight?: TensorLike | null;
  /** Class-index targets equal to this contribute nothing (default -100). */
  ignoreIndex?: number;
  /** In [0, 1]: mixes the target with the uniform distribution over the classes (default 0). */
  labelSmoothing?: number;
}

/**
 * Cross entropy of logits (`F.cross_entropy`): `input` is `[C]`, `[N, C]` or `[N, C, d1, …]`
 * (classes on axis 1, e.g. per-pixel segmentation); `target` is either class indices
 * (int32/int64, shape `[N, d1, …]`; plain arrays are read as int64) or class probabilities
 * of the input's shape (float). Computed as `nllLoss(logSoftmax(input, 1), …)`, stably.
 *
 * With `labelSmoothing` ε the loss is `(1 − ε)·nll + ε/C·Σ_c −weight[c]·logp[c]`, the
 * smoothing term normalised like the NLL term (PyTorch): for a weighted 'mean', both divide
 * by the sum of the target-class weights of the non-ignored samples. Probability targets are
 * smoothed as `(1 − ε)·p + ε/C`; `ignoreIndex` does not apply to them. Gradients flow to
 * probability targets too.
 *
 * @example
 * const logits = tensor([[2, 0, -1], [0.5, 1.5, 0]]);
 * crossEntropyLoss(logits, tensor([0, 1], undefined, 'int64'));
 * crossEntropyLoss(logits, [0, 1], { labelSmoothing: 0.1, weight: [1, 2, 1] });
 */
export function crossEntropyLoss(input: TensorLike, target: TensorLike, options: CrossEntropyLossOptions = {}): Tensor {
  const name = 'crossEntropyLoss';
  const reduction = options.reduction ?? 'mean';
  const ignoreIndex = options.ignoreIndex ?? -100;
  const eps = options.labelSmoothing ?? 0;
  checkReduction(name, reduction);
  checkNumber(name, 'ignoreIndex', ignoreIndex);
  checkNumber(name, 'labelSmoothing', eps);
  if (eps < 0 || eps > 1) throw new Error(`${name}: labelSmoothing must be in [0, 1], got ${eps}`);
  const x0 = floatInput(input);
  if (x0.rank === 0) throw new Error(`${name}: input must have shape [C], [N, C] or [N, C, d1, …], got a scalar`);
  let t0 = toTensor(target);
  // probabilities: same shape as the input; everything else is read as class indices
  if (sameShape(t0.shape, x0.shape) && (isFloat(t0.dtype) || !isTensor(target))) {
    if (!isFloat(t0.dtype)) t0 = t0.cast(x0.dtype);
    return probTargets(x0, floatLike(t0, x0), options.weight, eps, reduction);
  }
  if (!isTensor(target)) t0 = tensor(target, undefined, 'int64');
  if (isFloat(t0.dtype)) {
    const unbatched = x0.rank === 1;
    const idx = unbatched ? [] : [x0.shape[0]!, ...x0.shape.slice(2)];
    throw new Error(
      `${name}: target ${t0.dtype} ${fmt(t0.shape)} is neither class probabilities of the input's shape ` +
        `${fmt(x0.shape)} nor class indices; expected int32/int64 indices of shape ${fmt(idx)} or float probabilities of shape ${fmt(x0.shape)}`,
    );
  }
  const { x, t, C, unbatched } = classIndexTarget(name, x0, t0, ignoreIndex);
  const w = classWeight(name, options.weight, C, x0);
  const logp = x.logSoftmax(1);
  const { loss: nll, sampleWeight, valid } = nllParts(logp, t, w, ignoreIndex);
  let out: Tensor;
  if (eps === 0) {
    out = reduction === 'none' ? nll : weightedReduce(nll, sampleWeight, reduction);
  } else {
    const smooth = (w ? logp.mul(classView(w, logp)) : logp).sum(1).neg().mul(valid.cast(logp.dtype));
    if (reduction === 'none') out = nll.mul(1 - eps).add(smooth.mul(eps / C));
    else {
      const a = weightedReduce(nll, sampleWeight, reduction);
      const b = reduction === 'sum' ? smooth.sum() : smooth.sum().div(sampleWeight.sum());
      out = a.mul(1 - eps).add(b.mul(eps / C));
    }
  }
  return unbatched && reduction === 'none' ? out.squeeze(0) : out;
}

/** Cross entropy against class probabilities `p` of the input's shape. */
function probTargets(x0: Tensor, p0: Tensor, weight: TensorLike | null | undefined, eps: number, reduction: Reduction): Tensor {
  const name = 'crossEntropyLoss';
  const unbatched = x0.rank === 1;
  const x = unbatched ? x0.unsqueeze(0) : x0;
  let p = unbatched ? p0.unsqueeze(0) : p0;
  const C = x.shape[1]!;
  const w = classWeight(name, weight, C, x0);
  if (eps > 0) p = p.mul(1 - eps).add(eps / C);
  let logp = x.logSoftmax(1);
  if (w) logp = logp.mul(classView(w, logp));
  const prod = logp.mul(p);
  if (reduction === 'none') {
    const l = prod.sum(1).neg();
    return unbatched ? l.squeeze(0) : l;
  }
  if (reduction === 'sum') return prod.sum().neg();
  return prod.sum().neg().div(x.size / C);
}

/**
 * Module form of `crossEntropyLoss` (`nn.CrossEntropyLoss`); `weight` is kept as a buffer.
 *
 * @example
 * const crit = new CrossEntropyLoss({ labelSmoothing: 0.1 });
 * const loss = crit.call(model.call(x), labels); // logits [N, C], labels int64 [N]
 * loss.backward();
 */
export class CrossEntropyLoss extends Module<[Tensor, TensorLike], Tensor> {
  readonly reduction: Reduction;
  readonly weight: Tensor | null;
  readonly ignoreIndex: number;
  readonly labelSmoothing: number;
  constructor(options: CrossEntropyLossOptions = {}) {
    super();
    this.reduction = options.reduction ?? 'mean';
    this.ignoreIndex = options.ignoreIndex ?? -100;
    this.labelSmoothing = options.labelSmoothing ?? 0;
    checkReduction('CrossEntropyLoss', this.reduction);
    if (!(this.labelSmoothing >= 0 && this.labelSmoothing <= 1)) {
      throw new Error(`CrossEntropyLoss: labelSmoothing must be in [0, 1], got ${this.labelSmoothing}`);
    }
    this.weight = ownedBuffer(options.weight);
  }
  forward(input: Tensor, target: TensorLike): Tensor {
    return crossEntropyLoss(input, target, {
      reduction: this.reduction,
      weight: this.weight,
      ignoreIndex: this.ignoreIndex,
      labelSmoothing: this.labelSmoothing,
    });
  }
  override describe(): string {
    return describeOpts('CrossEntropyLoss', {
      reduction: this.reduction,
      weight: this.weight,
      ignoreIndex: this.ignoreIndex,
      labelSmoothing: this.labelSmoothing || undefined,
    });
  }
}
