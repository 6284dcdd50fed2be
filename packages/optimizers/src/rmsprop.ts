import { add, div, mul, sqrt, sub, zerosLike, type Tensor } from '@mapnn/core';
import { effectiveGrad, lerpAvg, lerpSquareAvg, type DecayOptions } from './common.js';
import { checkRanges, nextStep, Optimizer, stateTensor, type OptimizerOptions, type ParamGroup, type Params, type ParamState } from './optimizer.js';

export interface RMSpropOptions extends OptimizerOptions, DecayOptions {
  /** Smoothing constant of the squared-gradient average (default 0.99). */
  alpha: number;
  /** Added to the denominator, outside the square root (default 1e-8). */
  eps: number;
  /** Momentum factor (default 0). */
  momentum: number;
  /** Normalize by the variance estimate E[g²] − E[g]² (default false). */
  centered: boolean;
}

export const RMSPROP_DEFAULTS: RMSpropOptions = {
  lr: 1e-2,
  alpha: 0.99,
  eps: 1e-8,
  weightDecay: 0,
  momentum: 0,
  centered: false,
  maximize: false,
};

/**
 * RMSprop (Hinton), as PyTorch's `torch.optim.RMSprop` (1.13); `eps` is added outside the
 * square root:
 *
 * ```
 * g ← ∇ (negated if maximize) + weightDecay·θ
 * v ← αv + (1 − α)g²;  (centered: ḡ ← αḡ + (1 − α)g,  a = √(v − ḡ²) + eps;  else a = √v + eps)
 * momentum > 0:  b ← momentum·b + g/a,  θ ← θ − lr·b;   else θ ← θ − lr·g/a
 * ```
 *
 * @example
 * const opt = new RMSprop(params, { lr: 1e-3, centered: true, momentum: 0.9 });
 */
export class RMSprop extends Optimizer<RMSpropOptions> {
  constructor(params: Params<RMSpropOptions>, options: Partial<RMSpropOptions> = {}) {
    super('RMSprop', params, { ...RMSPROP_DEFAULTS, ...options });
  }

  protected validate(o: RMSpropOptions, where: string): void {
    checkRanges('RMSprop', where, o, ['lr', 'eps', 'momentum', 'weightDecay', 'alpha']);
  }

  protected update(p: Tensor, grad: Tensor, state: ParamState, g: ParamGroup<RMSpropOptions>): void {
    nextStep(state);
    const gr = effectiveGrad(p, grad, g.maximize, g.weightDecay);
    const squareAvg = stateTensor(state, 'squareAvg', () => zerosLike(p));
    squareAvg.assign(lerpSquareAvg(squareAvg, gr, g.alpha));
    let avg: Tensor;
    if (g.centered) {
      const gradAvg = stateTensor(state, 'gradAvg', () => zerosLike(p));
      gradAvg.assign(lerpAvg(gradAvg, gr, g.alpha));
      avg = sqrt(sub(squareAvg, mul(gradAvg, gradAvg)));
    } else {
      avg = sqrt(squareAvg);
    }
    avg = add(avg, g.eps);
    if (g.momentum > 0) {
      const buf = stateTensor(state, 'momentumBuffer', () => zerosLike(p));
      buf.assign(add(mul(buf, g.momentum), div(gr, avg)));
      p.assign(sub(p, mul(buf, g.lr)));
    } else {
      p.assign(sub(p, mul(div(gr, avg), g.lr)));
    }
  }
}
