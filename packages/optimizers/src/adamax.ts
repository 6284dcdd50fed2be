import { abs, add, div, maximum, mul, sub, zerosLike, type Tensor } from '@mapnn/core';
import { effectiveGrad, lerpAvg, type DecayOptions } from './common.js';
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

export interface AdamaxOptions extends OptimizerOptions, DecayOptions {
  /** Decay rates of the first moment and of the infinity norm (default [0.9, 0.999]). */
  betas: [number, number];
  /** Added to |g| inside the running maximum (default 1e-8). */
  eps: number;
}

export const ADAMAX_DEFAULTS: AdamaxOptions = { lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, maximize: false };

/**
 * Adamax (the infinity-norm variant of Adam), as PyTorch's `torch.optim.Adamax` (1.13);
 * `eps` is added to |g| inside the running maximum:
 *
 * ```
 * g ← ∇ (negated if maximize) + weightDecay·θ
 * m ← β₁m + (1 − β₁)g;   u ← max(β₂u, |g| + eps)
 * θ ← θ − lr/(1 − β₁ᵗ) · m/u
 * ```
 *
 * @example
 * const opt = new Adamax(params, { lr: 2e-3 });
 */
export class Adamax extends Optimizer<AdamaxOptions> {
  constructor(params: Params<AdamaxOptions>, options: Partial<AdamaxOptions> = {}) {
    super('Adamax', params, { ...ADAMAX_DEFAULTS, ...options });
  }

  protected validate(o: AdamaxOptions, where: string): void {
    checkRanges('Adamax', where, o, ['lr', 'eps']);
    checkBetas('Adamax', where, o.betas);
    checkRanges('Adamax', where, o, ['weightDecay']);
  }

  protected update(p: Tensor, grad: Tensor, state: ParamState, g: ParamGroup<AdamaxOptions>): void {
    const step = nextStep(state);
    const [beta1, beta2] = g.betas;
    const gr = effectiveGrad(p, grad, g.maximize, g.weightDecay);
    const expAvg = stateTensor(state, 'expAvg', () => zerosLike(p));
    const expInf = stateTensor(state, 'expInf', () => zerosLike(p));
    expAvg.assign(lerpAvg(expAvg, gr, beta1));
    expInf.assign(maximum(mul(expInf, beta2), add(abs(gr), g.eps)));
    const clr = g.lr / (1 - beta1 ** step);
    p.assign(sub(p, mul(div(expAvg, expInf), clr)));
  }
}
