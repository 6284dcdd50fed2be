import type { Optimizer } from '../optimizer.js';
import { LRScheduler } from './scheduler.js';

export interface ExponentialLROptions {
  /** Multiplicative decay factor per step. */
  gamma: number;
  lastEpoch?: number;
}

/**
 * Multiplies each group's lr by `gamma` every step (PyTorch's `ExponentialLR`).
 *
 * @example const sched = new ExponentialLR(opt, { gamma: 0.95 });
 */
export class ExponentialLR extends LRScheduler {
  gamma: number;

  constructor(optimizer: Optimizer, options: ExponentialLROptions) {
    super(optimizer, options.lastEpoch);
    this.gamma = options.gamma;
    this.initialStep();
  }

  protected computeLr(): number[] {
    if (this.lastEpoch === 0) return this.groupLrs();
    return this.groupLrs().map((lr) => lr * this.gamma);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * this.gamma ** this.lastEpoch);
  }
}
