import { add, div, mul, sqrt, sub, zerosLike, type Tensor } from '@mapnn/core';
import { effectiveGrad, lerpAvg, lerpSquareAvg, type DecayOptions } from './common.js';
import {
  checkBetas,
  checkRanges,
  nextStep,
  Optimizer,
  stateTensor,
  type OptimizerOptions,
  type ParamGroup,
  type Params,
  type ParamState,
} from './optimizer.js';

export interface NAdamOptions extends OptimizerOptions, DecayOptions {
  /** Decay rates of the first and second moment averages (default [0.9, 0.999]). */
  betas: [number, number];
  /** Added to the denominator (default 1e-8). */
  eps: number;
  /** Momentum decay ψ of the μ schedule (default 4e-3). */
  momentumDecay: number;
}

export const NADAM_DEFAULTS: NAdamOptions = {
  lr: 2e-3,
  betas: [0.9, 0.999],
  eps: 1e-8,
  weightDecay: 0,
  momentumDecay: 4e-3,
  maximize: false,
};

/**
 * NAdam (Adam with Nesterov momentum, Dozat 2016) as PyTorch's `torch.optim.NAdam` computes
 * it on its `foreach` path and in later releases. (PyTorch 1.13's default single-tensor path
 * multiplies μₜ in twice in the second step size; this follows the paper.)
 *
 * ```
 * g ← ∇ (negated if maximize) + weightDecay·θ
 * μₜ = β₁(1 − ½·0.96^(tψ)),  μₜ₊₁ = β₁(1 − ½·0.96^((t+1)ψ)),  Πₜ = μ₁⋯μₜ
 * m ← β₁m + (1 − β₁)g;   v ← β₂v + (1 − β₂)g²;   d = √v/√(1 − β₂ᵗ) + eps
 * θ ← θ − lr(1 − μₜ)/(1 − Πₜ) · g/d − lr·μₜ₊₁/(1 − Πₜμₜ₊₁) · m/d
 * ```
 * (`maximize` is not in PyTorch 1.13's NAdam; it negates the gradient as elsewhere.)
 *
 * @example
 * const opt = new NAdam(params, { lr: 2e-3, momentumDecay: 4e-3 });
 */
export class NAdam extends Optimizer<NAdamOptions> {
  constructor(params: Params<NAdamOptions>, options: Partial<NAdamOptions> = {}) {
    super('NAdam', params, { ...NADAM_DEFAULTS, ...options });
  }

  protected validate(o: NAdamOptions, where: string): void {
    checkRanges('NAdam', where, o, ['lr', 'eps']);
    checkBetas('NAdam', where, o.betas);
    checkRanges('NAdam', where, o, ['weightDecay', 'momentumDecay']);
  }

  protected update(p: Tensor, grad: Tensor, state: ParamState, g: ParamGroup<NAdamOptions>): void {
    const step = nextStep(state);
    const [beta1, beta2] = g.betas;
    const gr = effectiveGrad(p, grad, g.maximize, g.weightDecay);
    const mu = beta1 * (1 - 0.5 * 0.96 ** (step * g.momentumDecay));
    const muNext = beta1 * (1 - 0.5 * 0.96 ** ((step + 1) * g.momentumDecay));
    const muProduct = ((state.muProduct as number | undefined) ?? 1) * mu;
    state.muProduct = muProduct;
    const expAvg = stateTensor(state, 'expAvg', () => zerosLike(p));
    const expAvgSq = stateTensor(state, 'expAvgSq', () => zerosLike(p));
    expAvg.assign(lerpAvg(expAvg, gr, beta1));
    expAvgSq.assign(lerpSquareAvg(expAvgSq, gr, beta2));
    const denom = add(div(sqrt(expAvgSq), Math.sqrt(1 - beta2 ** step)), g.eps);
    const gradStep = (g.lr * (1 - mu)) / (1 - muProduct);
    const avgStep = (g.lr * muNext) / (1 - muProduct * muNext);
    p.assign(sub(sub(p, mul(div(gr, denom), gradStep)), mul(div(expAvg, denom), avgStep)));
  }
}
