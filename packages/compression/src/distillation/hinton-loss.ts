import type { Tensor, TensorLike } from '@mapnn/core';
import { crossEntropyLoss, softTargetDistillationLoss } from '@mapnn/layers';

export interface HintonLossOptions {
  /** Softening temperature T > 0. */
  temperature: number;
  /** Weight α ∈ [0, 1] of the soft (teacher) term; the hard-label cross-entropy gets 1 − α. */
  alpha: number;
  /** 'mean' (default): one scalar; 'none': one loss per sample (for sample weights). */
  reduction?: 'mean' | 'none';
}

/** Throws a RangeError naming `where` unless T > 0 and α ∈ [0, 1] (both finite numbers). */
export function checkDistillationSettings(where: string, temperature: number, alpha: number): void {
  if (typeof temperature !== 'number' || !Number.isFinite(temperature) || !(temperature > 0)) {
    throw new RangeError(`${where}: temperature must be a finite number > 0, got ${String(temperature)}`);
  }
  if (typeof alpha !== 'number' || !(alpha >= 0 && alpha <= 1)) {
    throw new RangeError(`${where}: alpha must be a number in [0, 1] (the weight of the teacher term), got ${String(alpha)}`);
  }
}

/**
 * Knowledge-distillation loss of Hinton, Vinyals & Dean (2015):
 * `α · T² · KL(softmax(teacher/T) ‖ softmax(student/T)) + (1 − α) · CE(student, labels)`.
 * The soft term is @mapnn/layers' `softTargetDistillationLoss` (KL per sample, teacher
 * detached); the hard term is `crossEntropyLoss` on the unsoftened student logits.
 *
 * @example
 * const loss = hintonLoss(student.call(x), noGrad(() => teacher.call(x)), y, { temperature: 4, alpha: 0.9 });
 */
export function hintonLoss(studentLogits: Tensor, teacherLogits: TensorLike, labels: TensorLike, options: HintonLossOptions): Tensor {
  const { temperature, alpha } = options;
  const reduction = options.reduction ?? 'mean';
  checkDistillationSettings('hintonLoss', temperature, alpha);
  if (reduction !== 'mean' && reduction !== 'none') throw new RangeError(`hintonLoss: reduction must be 'mean' or 'none', got '${String(reduction)}'`);
  const soft =
    reduction === 'none'
      ? softTargetDistillationLoss(studentLogits, teacherLogits, { temperature, reduction: 'none' }).sum(1)
      : softTargetDistillationLoss(studentLogits, teacherLogits, { temperature });
  const hard = crossEntropyLoss(studentLogits, labels, { reduction });
  return soft.mul(alpha).add(hard.mul(1 - alpha));
}
