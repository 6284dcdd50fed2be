import { adamStep, add, div, maximum, mul, sqrt, sub, zerosLike, type Tensor } from '@mapnn/core';
import { effectiveGrad, lerpAvg, type DecayOptions } from './common.js';
import { checkBetas, checkRange, Optimizer, type OptimizerOptions, type ParamGroup, type Params, type ParamState, stateTensor } from './optimizer.js';

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
 * One Adam step (shared by Adam and AdamW). `decoupled` decays the weights directly
 * (`θ ← θ·(1 − lr·weightDecay)`, AdamW) instead of adding `weightDecay·θ` to the gradient.
 */
export function adamUpdate(
  p: Tensor,
  grad: Tensor,
  state: ParamState,
  g: ParamGroup<AdamOptions>,
  decoupled: boolean,
): void {
  const step = ((state.step as number | undefined) ?? 0) + 1;
  state.step = step;
  const [beta1, beta2] = g.betas;
  const expAvg = stateTensor(state, 'expAvg', () => zerosLike(p));
  const expAvgSq = stateTensor(state, 'expAvgSq', () => zerosLike(p));
  if (!g.amsgrad) {
    // one fused kernel where the backend has it (same arithmetic as the composition below)
    const next = adamStep(p, grad, expAvg, expAvgSq, {
      lr: g.lr, beta1, beta2, eps: g.eps, step, weightDecay: g.weightDecay, decoupled, maximize: g.maximize,
    });
    expAvg.assign(next.expAvg);
    expAvgSq.assign(next.expAvgSq);
    p.assign(next.param);
    return;
  }
  // AMSGrad: the second moment's running maximum takes its place in the denominator
  let gr: Tensor;
  if (decoupled) {
    gr = effectiveGrad(p, grad, g.maximize, 0);
    if (g.weightDecay !== 0) p.assign(mul(p, 1 - g.lr * g.weightDecay));
  } else {
    gr = effectiveGrad(p, grad, g.maximize, g.weightDecay);
  }
  expAvg.assign(lerpAvg(expAvg, gr, beta1));
  expAvgSq.assign(add(mul(expAvgSq, beta2), mul(mul(gr, gr), 1 - beta2)));
  const biasCorrection1 = 1 - beta1 ** step;
  const biasCorrection2 = 1 - beta2 ** step;
  const stepSize = g.lr / biasCorrection1;
  const maxSq = stateTensor(state, 'maxExpAvgSq', () => zerosLike(p));
  maxSq.assign(maximum(maxSq, expAvgSq));
  const denom = add(div(sqrt(maxSq), Math.sqrt(biasCorrection2)), g.eps);
  p.assign(sub(p, mul(div(expAvg, denom), stepSize)));
}

export function validateAdam(name: string, o: AdamOptions, where: string): void {
  checkRange(name, where, 'lr', o.lr);
  checkRange(name, where, 'eps', o.eps);
  checkBetas(name, where, o.betas);
  checkRange(name, where, 'weightDecay', o.weightDecay);
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
