import type { Optimizer } from '../optimizer.js';
import { LRScheduler } from './scheduler.js';

export interface ConstantLROptions {
  /** Factor applied to the lr until `totalIters` (in [0, 1]; default 1/3). */
  factor?: number;
  /** Steps during which the factor applies (default 5). */
  totalIters?: number;
  lastEpoch?: number;
}

/**
 * Scales each group's lr by `factor` for the first `totalIters` steps, then restores it
 * (PyTorch's `ConstantLR`).
 *
 * @example const sched = new ConstantLR(opt, { factor: 0.5, totalIters: 4 });
 */
export class ConstantLR extends LRScheduler {
  factor: number;
  totalIters: number;

  constructor(optimizer: Optimizer, options: ConstantLROptions = {}) {
    super(optimizer, options.lastEpoch);
    const factor = options.factor ?? 1 / 3;
    if (!(factor >= 0 && factor <= 1)) throw new Error(`ConstantLR: factor must be in [0, 1], got ${factor}`);
    this.factor = factor;
    this.totalIters = options.totalIters ?? 5;
    this.initialStep();
  }

  protected computeLr(): number[] {
    if (this.lastEpoch === 0) return this.groupLrs().map((lr) => lr * this.factor);
    if (this.lastEpoch !== this.totalIters) return this.groupLrs();
    return this.groupLrs().map((lr) => lr * (1 / this.factor));
  }

  protected override closedFormLr(): number[] {
    const done = this.lastEpoch >= this.totalIters ? 1 : 0;
    return this.baseLrs.map((b) => b * (this.factor + done * (1 - this.factor)));
  }
}
