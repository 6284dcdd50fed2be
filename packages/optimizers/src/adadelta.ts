import { add, div, mul, sqrt, sub, zerosLike, type Tensor } from '@mapnn/core';
import { effectiveGrad, type DecayOptions } from './common.js';
import { checkRange, Optimizer, stateTensor, type OptimizerOptions, type ParamGroup, type Params, type ParamState } from './optimizer.js';

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
    checkRange('Adadelta', where, 'lr', o.lr);
    checkRange('Adadelta', where, 'rho', o.rho);
    if (o.rho > 1) throw new Error(`Adadelta: invalid rho ${o.rho} in ${where} (expected a number in [0, 1])`);
    checkRange('Adadelta', where, 'eps', o.eps);
    checkRange('Adadelta', where, 'weightDecay', o.weightDecay);
  }

  protected update(p: Tensor, grad: Tensor, state: ParamState, g: ParamGroup<AdadeltaOptions>): void {
    state.step = ((state.step as number | undefined) ?? 0) + 1;
    const gr = effectiveGrad(p, grad, g.maximize, g.weightDecay);
    const squareAvg = stateTensor(state, 'squareAvg', () => zerosLike(p));
    const accDelta = stateTensor(state, 'accDelta', () => zerosLike(p));
    squareAvg.assign(add(mul(squareAvg, g.rho), mul(mul(gr, gr), 1 - g.rho)));
    const std = sqrt(add(squareAvg, g.eps));
    const delta = mul(div(sqrt(add(accDelta, g.eps)), std), gr);
    accDelta.assign(add(mul(accDelta, g.rho), mul(mul(delta, delta), 1 - g.rho)));
    p.assign(sub(p, mul(delta, g.lr)));
  }
}
