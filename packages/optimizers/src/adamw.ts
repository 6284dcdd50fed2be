import type { Tensor } from '@mapnn/core';
import { ADAM_DEFAULTS, adamUpdate, validateAdam, type AdamOptions } from './adam.js';
import { Optimizer, type ParamGroup, type Params, type ParamState } from './optimizer.js';

export type AdamWOptions = AdamOptions;

export const ADAMW_DEFAULTS: AdamWOptions = { ...ADAM_DEFAULTS, weightDecay: 1e-2 };

/**
 * AdamW (Loshchilov & Hutter), as PyTorch's `torch.optim.AdamW` (1.13): Adam with decoupled
 * weight decay, `θ ← θ·(1 − lr·weightDecay)` before the Adam update (the gradient gets no L2
 * term). `weightDecay` defaults to 1e-2.
 *
 * @example
 * const opt = new AdamW(model.parameters(), { lr: 3e-4, weightDecay: 0.05 });
 */
export class AdamW extends Optimizer<AdamWOptions> {
  constructor(params: Params<AdamWOptions>, options: Partial<AdamWOptions> = {}) {
    super('AdamW', params, { ...ADAMW_DEFAULTS, ...options });
  }

  protected validate(o: AdamWOptions, where: string): void {
    validateAdam('AdamW', o, where);
  }

  protected update(p: Tensor, grad: Tensor, state: ParamState, g: ParamGroup<AdamWOptions>): void {
    adamUpdate(p, grad, state, g, true);
  }
}
