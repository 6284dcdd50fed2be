import type { Optimizer } from '../optimizer.js';
import { LRScheduler } from './scheduler.js';

export interface PolynomialLROptions {
  /** Steps over which the lr decays to 0 (default 5). */
  totalIters?: number;
  /** Power of the polynomial (default 1). */
  power?: number;
  lastEpoch?: number;
}

/**
 * Decays each group's lr as `base·(1 − t/totalIters)^power`, reaching 0 at `totalIters`
 * (PyTorch's `PolynomialLR`).
 *
 * @example const sched = new PolynomialLR(opt, { totalIters: 100, power: 2 });
 */
export class PolynomialLR extends LRScheduler {
  totalIters: number;
  power: number;

  constructor(optimizer: Optimizer, options: PolynomialLROptions = {}) {
    super(optimizer, options.lastEpoch);
    this.totalIters = options.totalIters ?? 5;
    this.power = options.power ?? 1;
    this.initialStep();
  }

  protected computeLr(): number[] {
    const { totalIters: n, lastEpoch: t } = this;
    if (t === 0 || t > n) return this.groupLrs();
    const decay = ((1 - t / n) / (1 - (t - 1) / n)) ** this.power;
    return this.groupLrs().map((lr) => lr * decay);
  }

  protected override closedFormLr(): number[] {
    const { totalIters: n, lastEpoch: t } = this;
    return this.baseLrs.map((b) => b * (1 - Math.min(n, t) / n) ** this.power);
  }
}
