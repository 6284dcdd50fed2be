import { add, div, fullLike, mul, sqrt, sub, type Tensor } from '@mapnn/core';
import { effectiveGrad, type DecayOptions } from './common.js';
import { checkRanges, nextStep, Optimizer, stateTensor, type OptimizerOptions, type ParamGroup, type Params, type ParamState } from './optimizer.js';

export interface AdagradOptions extends OptimizerOptions, DecayOptions {
  /** Learning-rate decay: step t uses lr/(1 + (t − 1)·lrDecay) (default 0). */
  lrDecay: number;
  /** Starting value of the squared-gradient sum (default 0). */
  initialAccumulatorValue: number;
  /** Added to the denominator, outside the square root (default 1e-10). */
  eps: number;
}

export const ADAGRAD_DEFAULTS: AdagradOptions = {
  lr: 1e-2,
  lrDecay: 0,
  weightDecay: 0,
  initialAccumulatorValue: 0,
  eps: 1e-10,
  maximize: false,
};

/**
 * Adagrad (Duchi et al.), as PyTorch's `torch.optim.Adagrad` (1.13):
 *
 * ```
 * g ← ∇ (negated if maximize) + weightDecay·θ
 * s ← s + g²   (s starts at initialAccumulatorValue)
 * θ ← θ − lr/(1 + (t − 1)·lrDecay) · g/(√s + eps)
 * ```
 *
 * @example
 * const opt = new Adagrad(params, { lr: 0.1, lrDecay: 1e-4 });
 */
export class Adagrad extends Optimizer<AdagradOptions> {
  constructor(params: Params<AdagradOptions>, options: Partial<AdagradOptions> = {}) {
    super('Adagrad', params, { ...ADAGRAD_DEFAULTS, ...options });
  }

  protected validate(o: AdagradOptions, where: string): void {
    checkRanges('Adagrad', where, o, ['lr', 'lrDecay', 'weightDecay', 'initialAccumulatorValue', 'eps']);
  }

  protected update(p: Tensor, grad: Tensor, state: ParamState, g: ParamGroup<AdagradOptions>): void {
    const step = nextStep(state);
    const gr = effectiveGrad(p, grad, g.maximize, g.weightDecay);
    const clr = g.lr / (1 + (step - 1) * g.lrDecay);
    const sum = stateTensor(state, 'sum', () => fullLike(p, g.initialAccumulatorValue));
    sum.assign(add(sum, mul(gr, gr)));
    const std = add(sqrt(sum), g.eps);
    p.assign(sub(p, mul(div(gr, std), clr)));
  }
}
