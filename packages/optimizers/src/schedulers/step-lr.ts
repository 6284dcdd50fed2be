import type { Optimizer } from '../optimizer.js';
import { LRScheduler } from './scheduler.js';

export interface StepLROptions {
  /** Period of the decay, in steps. */
  stepSize: number;
  /** Multiplicative decay factor (default 0.1). */
  gamma?: number;
  /** Index of the last step when resuming (default -1: start). */
  lastEpoch?: number;
}

/**
 * Multiplies each group's lr by `gamma` every `stepSize` steps (PyTorch's `StepLR`).
 *
 * @example
 * const sched = new StepLR(opt, { stepSize: 30, gamma: 0.1 }); // lr 0.1 → 0.01 at epoch 30 → …
 * for (let epoch = 0; epoch < 90; epoch++) { train(); sched.step(); }
 */
export class StepLR extends LRScheduler {
  stepSize: number;
  gamma: number;

  constructor(optimizer: Optimizer, options: StepLROptions) {
    super(optimizer, options.lastEpoch);
    if (!Number.isInteger(options.stepSize) || options.stepSize <= 0) {
      throw new Error(`StepLR: stepSize must be a positive integer, got ${options.stepSize}`);
    }
    this.stepSize = options.stepSize;
    this.gamma = options.gamma ?? 0.1;
    this.initialStep();
  }

  protected computeLr(): number[] {
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return this.groupLrs();
    return this.groupLrs().map((lr) => lr * this.gamma);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * this.gamma ** Math.floor(this.lastEpoch / this.stepSize));
  }
}
