import { add, div, mul, sqrt, sub, zerosLike, type Tensor } from '@mapnn/core';
import { effectiveGrad, lerpSquareAvg, type DecayOptions } from './common.js';
import { checkRanges, nextStep, Optimizer, stateTensor, type OptimizerOptions, type ParamGroup, type Params, type ParamState } from './optimizer.js';

export interface AdadeltaOptions extends OptimizerOptions, DecayOptions {
  /** Decay rate of the running averages (default 0.9). */
  rho: number;
  /** Added inside both square roots (default 1e-6). */
  eps: number;
}

export const ADADELTA_DEFAULTS: AdadeltaOptions = { lr: 1, rho: 0.9, eps: 1e-6, weightDecay: 0, maximize: false };

/**
 * Adadelta (Zeiler), as PyTorch's `torch.optim.Adadelta` (1.13); `eps` goes inside both
 * square roots and `lr` (default 1) scales the delta:
 *
 * ```
 * g ← ∇ (negated if maximize) + weightDecay·θ
 * v ← ρv + (1 − ρ)g²;   Δ = √(u + eps)/√(v + eps) · g;   u ← ρu + (1 − ρ)Δ²
 * θ ← θ − lr·Δ
 * ```
 *
 * @example
 * const opt = new Adadelta(params, { rho: 0.95 });
 */
export class Adadelta extends Optimizer<AdadeltaOptions> {
  constructor(params: Params<AdadeltaOptions>, options: Partial<AdadeltaOptions> = {}) {
    super('Adadelta', params, { ...ADADELTA_DEFAULTS, ...options });
  }

  protected validate(o: AdadeltaOptions, where: string): void {
    checkRanges('Adadelta', where, o, ['lr', 'rho']);
    if (o.rho > 1) throw new Error(`Adadelta: invalid rho ${o.rho} in ${where} (expected a number in [0, 1])`);
    checkRanges('Adadelta', where, o, ['eps', 'weightDecay']);
  }

  protected update(p: Tensor, grad: Tensor, state: ParamState, g: ParamGroup<AdadeltaOptions>): void {
    nextStep(state);
    const gr = effectiveGrad(p, grad, g.maximize, g.weightDecay);
    const squareAvg = stateTensor(state, 'squareAvg', () => zerosLike(p));
    const accDelta = stateTensor(state, 'accDelta', () => zerosLike(p));
    squareAvg.assign(lerpSquareAvg(squareAvg, gr, g.rho));
    const std = sqrt(add(squareAvg, g.eps));
    const delta = mul(div(sqrt(add(accDelta, g.eps)), std), gr);
    accDelta.assign(lerpSquareAvg(accDelta, delta, g.rho));
    p.assign(sub(p, mul(delta, g.lr)));
  }
}
