import type { Optimizer } from '../optimizer.js';
import { LRScheduler } from './scheduler.js';

export interface LinearLROptions {
  /** Factor at step 0 (in [0, 1]; default 1/3). */
  startFactor?: number;
  /** Factor from step `totalIters` on (in [0, 1]; default 1). */
  endFactor?: number;
  /** Steps of the linear ramp (default 5). */
  totalIters?: number;
  lastEpoch?: number;
}

/**
 * Scales each group's lr by a factor that moves linearly from `startFactor` to `endFactor` over
 * `totalIters` steps (PyTorch's `LinearLR`) — the usual warm-up.
 *
 * @example
 * // warm up from lr/10 to lr over 5 epochs
 * const sched = new LinearLR(opt, { startFactor: 0.1, totalIters: 5 });
 */
export class LinearLR extends LRScheduler {
  startFactor: number;
  endFactor: number;
  totalIters: number;

  constructor(optimizer: Optimizer, options: LinearLROptions = {}) {
    super(optimizer, options.lastEpoch);
    const start = options.startFactor ?? 1 / 3;
    const end = options.endFactor ?? 1;
    if (!(start >= 0 && start <= 1)) throw new Error(`LinearLR: startFactor must be in [0, 1], got ${start}`);
    if (!(end >= 0 && end <= 1)) throw new Error(`LinearLR: endFactor must be in [0, 1], got ${end}`);
    this.startFactor = start;
    this.endFactor = end;
    this.totalIters = options.totalIters ?? 5;
    this.initialStep();
  }

  protected computeLr(): number[] {
    const { startFactor: s, endFactor: e, totalIters: n, lastEpoch: t } = this;
    if (t === 0) return this.groupLrs().map((lr) => lr * s);
    if (t > n) return this.groupLrs();
    return this.groupLrs().map((lr) => lr * (1 + (e - s) / (n * s + (t - 1) * (e - s))));
  }

  protected override closedFormLr(): number[] {
    const { startFactor: s, endFactor: e, totalIters: n, lastEpoch: t } = this;
    return this.baseLrs.map((b) => b * (s + ((e - s) * Math.min(n, t)) / n));
  }
}
