import { add, mul, sub, type Tensor } from '@mapnn/core';
import { effectiveGrad, type DecayOptions } from './common.js';
import { checkRanges, Optimizer, type OptimizerOptions, type ParamGroup, type Params, type ParamState, stateTensor } from './optimizer.js';

export interface SGDOptions extends OptimizerOptions, DecayOptions {
  /** Momentum factor (default 0). */
  momentum: number;
  /** Dampening of the momentum (default 0); not applied on the first step. */
  dampening: number;
  /** Nesterov momentum (default false; needs momentum > 0 and dampening 0). */
  nesterov: boolean;
}

export const SGD_DEFAULTS: SGDOptions = { lr: 1e-3, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, maximize: false };

/**
 * Stochastic gradient descent with optional momentum, dampening, Nesterov momentum, L2 weight
 * decay and maximization, as PyTorch's `torch.optim.SGD` (1.13):
 *
 * ```
 * g ← ∇ (negated if maximize) + weightDecay·θ
 * b ← g on the first step, else momentum·b + (1 − dampening)·g
 * g ← g + momentum·b (nesterov) or b
 * θ ← θ − lr·g
 * ```
 * PyTorch requires `lr`; here it defaults to 1e-3.
 *
 * @example
 * const opt = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9, nesterov: true });
 * opt.zeroGrad(); tidy(() => loss().backward()); opt.step();
 */
export class SGD extends Optimizer<SGDOptions> {
  constructor(params: Params<SGDOptions>, options: Partial<SGDOptions> = {}) {
    super('SGD', params, { ...SGD_DEFAULTS, ...options });
  }

  protected validate(o: SGDOptions, where: string): void {
    checkRanges('SGD', where, o, ['lr', 'momentum', 'weightDecay']);
    if (typeof o.dampening !== 'number' || Number.isNaN(o.dampening)) throw new Error(`SGD: invalid dampening ${String(o.dampening)} in ${where}`);
    if (o.nesterov && (o.momentum <= 0 || o.dampening !== 0)) {
      throw new Error(`SGD: Nesterov momentum requires a momentum > 0 and zero dampening (${where})`);
    }
  }

  protected update(p: Tensor, grad: Tensor, state: ParamState, g: ParamGroup<SGDOptions>): void {
    let d = effectiveGrad(p, grad, g.maximize, g.weightDecay);
    if (g.momentum !== 0) {
      let buf = state.momentumBuffer as Tensor | undefined;
      if (!buf) {
        // first step: the buffer is the gradient itself (no dampening), as in PyTorch
        buf = stateTensor(state, 'momentumBuffer', () => d.detach());
      } else {
        buf.assign(add(mul(buf, g.momentum), mul(d, 1 - g.dampening)));
      }
      d = g.nesterov ? add(d, mul(buf, g.momentum)) : buf;
    }
    p.assign(sub(p, mul(d, g.lr)));
  }
}
