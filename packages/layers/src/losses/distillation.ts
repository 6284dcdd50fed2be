import type { Tensor, TensorLike } from '@mapnn/core';
import { Module } from '../module.js';
import { klDivLoss, type KLDivReduction } from './kl-div.js';
import { checkNumber, checkSameShape, describeOpts, floatInput, floatLike } from './util.js';

export interface SoftTargetDistillationOptions {
  /** Softening temperature T > 0 (default 2). */
  temperature?: number;
  /** Reduction of the KL term (default 'batchmean': the KL per sample). */
  reduction?: KLDivReduction;
}

/**
 * Soft-target knowledge-distillation loss (Hinton et al. 2015): the KL divergence between the
 * temperature-softened teacher and student distributions, scaled by T² so its gradients keep
 * their magnitude across temperatures:
 * `T² · KL(softmax(teacher/T) ‖ softmax(student/T))` over the class axis 1. The teacher's
 * logits are detached (no gradient). Mix it with the hard-label loss yourself, e.g.
 * `α·distill + (1 − α)·crossEntropyLoss(student, labels)`.
 *
 * @example
 * const kd = softTargetDistillationLoss(studentLogits, teacherLogits, { temperature: 4 });
 */
export function softTargetDistillationLoss(
  studentLogits: TensorLike,
  teacherLogits: TensorLike,
  options: SoftTargetDistillationOptions = {},
): Tensor {
  const name = 'softTargetDistillationLoss';
  const T = options.temperature ?? 2;
  checkNumber(name, 'temperature', T);
  if (!(T > 0)) throw new Error(`${name}: temperature must be positive, got ${T}`);
  const s = floatInput(studentLogits);
  const t = floatLike(teacherLogits, s).detach();
  checkSameShape(name, s, t, 'teacher logits');
  const axis = s.rank >= 2 ? 1 : 0;
  const kl = klDivLoss(s.div(T).logSoftmax(axis), t.div(T).logSoftmax(axis), {
    reduction: options.reduction ?? 'batchmean',
    logTarget: true,
  });
  return kl.mul(T * T);
}

/**
 * Module form of `softTargetDistillationLoss`; call with `(studentLogits, teacherLogits)`.
 *
 * @example
 * const kd = new SoftTargetDistillationLoss({ temperature: 4 });
 * const loss = kd.call(student.call(x), noGrad(() => teacher.call(x)));
 */
export class SoftTargetDistillationLoss extends Module<[Tensor, TensorLike], Tensor> {
  readonly temperature: number;
  readonly reduction: KLDivReduction;
  constructor(options: SoftTargetDistillationOptions = {}) {
    super();
    this.temperature = options.temperature ?? 2;
    this.reduction = options.reduction ?? 'batchmean';
    if (!(this.temperature > 0)) throw new Error(`SoftTargetDistillationLoss: temperature must be positive, got ${this.temperature}`);
  }
  forward(studentLogits: Tensor, teacherLogits: TensorLike): Tensor {
    return softTargetDistillationLoss(studentLogits, teacherLogits, { temperature: this.temperature, reduction: this.reduction });
  }
  override describe(): string {
    return describeOpts('SoftTargetDistillationLoss', { temperature: this.temperature, reduction: this.reduction });
  }
}
