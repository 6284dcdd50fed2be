import { Generator, noGrad, type Tensor } from '@mapnn/core';
import { Module } from '@mapnn/layers';
import { fit, type FitOptions, type History, type LossFn, type TrainData } from '@mapnn/train';
import { HintTerm, type FeatureHint } from './feature-hints.js';
import { checkDistillationSettings, hintonLoss } from './hinton-loss.js';

export interface DistillOptions extends Omit<FitOptions, 'loss'> {
  /** The trained teacher: run in eval mode without gradients on every batch (its mode is restored afterwards). */
  teacher: Module<any, any>;
  /** The model being trained (what `fit` trains; `optimizer` must hold its parameters). */
  student: Module<any, any>;
  /** Training data, as `fit` takes it; `y` are the hard class labels. */
  data: TrainData;
  /** Softening temperature T > 0 (default 4). */
  temperature?: number;
  /** Weight α ∈ [0, 1] of the soft teacher term; the label cross-entropy gets 1 − α (default 0.9). */
  alpha?: number;
  /** Intermediate-feature hints (FitNets): MSE between named layer outputs, added to the loss. */
  features?: readonly FeatureHint[];
}

/** What `distill` returns: `fit`'s history and the adapters the hints learned (empty without any). */
export interface DistillResult {
  history: History;
  adapters: Module<any, any>[];
}

/**
 * Knowledge distillation (Hinton et al. 2015), trained by `fit` from @mapnn/train — its loop,
 * callbacks, metrics and validation — with the loss
 * `α·T²·KL(softmax(zt/T) ‖ softmax(zs/T)) + (1 − α)·CE(zs, y) + Σ wᵢ·MSE(aᵢ(sᵢ), tᵢ)`:
 * `zt` are the teacher's logits on the same batch (eval mode, no gradients), and each feature
 * hint adds the MSE between a student layer's output `sᵢ` (through an optional learned 1×1
 * adapter `aᵢ`) and a teacher layer's `tᵢ`, captured with forward hooks. Adapters are built on
 * the first batch and join `optimizer` as a new parameter group; the hooks are removed at the
 * end. Validation losses are the same distillation loss; metrics are the student's.
 *
 * @example
 * const { history } = await distill({
 *   teacher, student, data: { x, y }, temperature: 4, alpha: 0.9, epochs: 5,
 *   optimizer: new Adam(student.parameters(), { lr: 1e-3 }), metrics: ['accuracy'],
 *   features: [{ teacher: 'conv2', student: 'conv2', weight: 0.5 }],
 * });
 */
export async function distill(options: DistillOptions): Promise<DistillResult> {
  const { teacher, student, data, features = [], ...rest } = options;
  const temperature = options.temperature ?? 4;
  const alpha = options.alpha ?? 0.9;
  checkDistillationSettings('distill', temperature, alpha);
  if (!(teacher instanceof Module)) throw new TypeError('distill: teacher must be a mapnn Module (from @mapnn/layers)');
  if (!(student instanceof Module)) throw new TypeError('distill: student must be a mapnn Module (from @mapnn/layers)');
  if (teacher === student) throw new Error('distill: teacher and student are the same module');
  if ('loss' in (options as object)) throw new TypeError('distill: the loss is the distillation loss; do not pass `loss`');

  const hints: HintTerm[] = [];
  const adapters: Module<any, any>[] = [];
  const generator = new Generator(options.seed ?? 0);
  const teacherWasTraining = teacher.training;
  try {
    for (const h of features) hints.push(new HintTerm(teacher, student, h));
    teacher.eval();
    const adopt = (m: Module<any, any>) => {
      adapters.push(m);
      options.optimizer.addParamGroup({ params: m.parameters() });
    };
    const loss: LossFn = (pred, y, { reduction, input }) => {
      if (!input) throw new Error('distill: the loss got no batch input (a @mapnn/train that passes options.input is needed)');
      const zt = noGrad(() => teacher.call(input) as Tensor);
      if (zt.shape.join(',') !== pred.shape.join(',')) {
        throw new Error(`distill: teacher logits [${zt.shape.join(', ')}] and student logits [${pred.shape.join(', ')}] differ in shape`);
      }
      let total = hintonLoss(pred, zt, y, { temperature, alpha, reduction });
      for (const h of hints) total = total.add(h.loss(reduction, adopt, generator));
      return total;
    };
    const { temperature: _t, alpha: _a, ...fitOptions } = rest;
    const history = await fit(student, data, { ...fitOptions, loss });
    return { history, adapters };
  } finally {
    for (const h of hints) h.remove();
    teacher.train(teacherWasTraining);
  }
}
