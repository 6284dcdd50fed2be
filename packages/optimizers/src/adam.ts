import { adamStep, zerosLike, type Tensor } from '@mapnn/core';
import type { DecayOptions } from './common.js';
import { checkBetas, checkRanges, nextStep, Optimizer, type OptimizerOptions, type ParamGroup, type Params, type ParamState, stateTensor } from './optimizer.js';

export interface AdamOptions extends OptimizerOptions, DecayOptions {
  /** Decay rates of the first and second moment averages (default [0.9, 0.999]). */
  betas: [number, number];
  /** Added to the denominator after the bias-corrected square root (default 1e-8). */
  eps: number;
  /** Use the maximum of past second moments (AMSGrad; default false). */
  amsgrad: boolean;
}

export const ADAM_DEFAULTS: AdamOptions = {
  lr: 1e-3,
  betas: [0.9, 0.999],
  eps: 1e-8,
  weightDecay: 0,
  amsgrad: false,
  maximize: false,
};

/**
 * One Adam step (shared by Adam and AdamW): core's `adamStep` owns the rule (bias corrections,
 * L2 or decoupled weight decay, AMSGrad) and runs the backend's fused kernel where it has one.
 * `decoupled` decays the weights directly (`θ ← θ·(1 − lr·weightDecay)`, AdamW) instead of
 * adding `weightDecay·θ` to the gradient.
 */
export function adamUpdate(
  p: Tensor,
  grad: Tensor,
  state: ParamState,
  g: ParamGroup<AdamOptions>,
  decoupled: boolean,
): void {
  const step = nextStep(state);
  const [beta1, beta2] = g.betas;
  const expAvg = stateTensor(state, 'expAvg', () => zerosLike(p));
  const expAvgSq = stateTensor(state, 'expAvgSq', () => zerosLike(p));
  const maxExpAvgSq = g.amsgrad ? stateTensor(state, 'maxExpAvgSq', () => zerosLike(p)) : undefined;
  const next = adamStep(p, grad, expAvg, expAvgSq, {
    lr: g.lr, beta1, beta2, eps: g.eps, step, weightDecay: g.weightDecay, decoupled, maximize: g.maximize, maxExpAvgSq,
  });
  expAvg.assign(next.expAvg);
  expAvgSq.assign(next.expAvgSq);
  if (maxExpAvgSq) maxExpAvgSq.assign(next.maxExpAvgSq!);
  p.assign(next.param);
}

export function validateAdam(name: string, o: AdamOptions, where: string): void {
  checkRanges(name, where, o, ['lr', 'eps']);
  checkBetas(name, where, o.betas);
  checkRanges(name, where, o, ['weightDecay']);
}

/**
 * Adam (Kingma & Ba) with optional AMSGrad, as PyTorch's `torch.optim.Adam` (1.13).
 * `weightDecay` is an L2 penalty added to the gradient (use `AdamW` for decoupled decay);
 * `eps` is added after the bias-corrected square root:
 *
 * ```
 * g ← ∇ (negated if maximize) + weightDecay·θ
 * m ← β₁m + (1 − β₁)g;   v ← β₂v + (1 − β₂)g²;   (amsgrad: v̂ ← max(v̂, v))
 * θ ← θ − lr/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + eps)
 * ```
 *
 * @example
 * const opt = new Adam(model.parameters(), { lr: 1e-3, amsgrad: true });
 */
export class Adam extends Optimizer<AdamOptions> {
  constructor(params: Params<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super('Adam', params, { ...ADAM_DEFAULTS, ...options });
  }

  protected validate(o: AdamOptions, where: string): void {
    validateAdam('Adam', o, where);
  }

  protected update(p: Tensor, grad: Tensor, state: ParamState, g: ParamGroup<AdamOptions>): void {
    adamUpdate(p, grad, state, g, false);
  }
}
