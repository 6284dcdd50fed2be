import { isTensor, type Tensor } from '@mapnn/core';
import type { Optimizer } from '../optimizer.js';
import { loadOwnState, ownState, perGroup, type Scheduler, type SchedulerStateDict } from './scheduler.js';

export interface ReduceLROnPlateauOptions {
  /** `'min'` (default): reduce when the metric stops decreasing; `'max'`: stops increasing. */
  mode?: 'min' | 'max';
  /** Factor the lr is multiplied by (< 1; default 0.1). */
  factor?: number;
  /** Steps without improvement tolerated before reducing (default 10). */
  patience?: number;
  /** Smallest improvement that counts (default 1e-4). */
  threshold?: number;
  /** `'rel'` (default): improvement relative to the best value; `'abs'`: absolute. */
  thresholdMode?: 'rel' | 'abs';
  /** Steps to wait after a reduction before counting bad steps again (default 0). */
  cooldown?: number;
  /** Lower bound of the lr (one for all groups or one per group; default 0). */
  minLr?: number | readonly number[];
  /** Reductions smaller than this are skipped (default 1e-8). */
  eps?: number;
}

/**
 * Reduces the learning rate when a metric has stopped improving (PyTorch's
 * `ReduceLROnPlateau`): after more than `patience` steps without an improvement (in 'rel' mode
 * an improvement must beat the best value by the relative `threshold`, 1e-4 by default), each
 * group's lr becomes `max(lr·factor, minLr)`, then `cooldown` steps are ignored.
 *
 * @example
 * const sched = new ReduceLROnPlateau(opt, { factor: 0.5, patience: 3 });
 * for (let epoch = 0; epoch < 100; epoch++) { train(); sched.step(validationLoss()); }
 */
export class ReduceLROnPlateau implements Scheduler {
  readonly optimizer: Optimizer;
  mode: 'min' | 'max';
  factor: number;
  patience: number;
  threshold: number;
  thresholdMode: 'rel' | 'abs';
  cooldown: number;
  cooldownCounter = 0;
  minLrs: number[];
  eps: number;
  /** Best metric so far. */
  best: number;
  numBadEpochs = 0;
  lastEpoch = 0;
  /** @internal */
  lastLr: number[];

  constructor(optimizer: Optimizer, options: ReduceLROnPlateauOptions = {}) {
    const factor = options.factor ?? 0.1;
    if (!(factor < 1)) throw new Error(`ReduceLROnPlateau: factor must be < 1, got ${factor}`);
    const mode = options.mode ?? 'min';
    if (mode !== 'min' && mode !== 'max') throw new Error(`ReduceLROnPlateau: mode '${String(mode)}' is unknown (use 'min' or 'max')`);
    const thresholdMode = options.thresholdMode ?? 'rel';
    if (thresholdMode !== 'rel' && thresholdMode !== 'abs') {
      throw new Error(`ReduceLROnPlateau: threshold mode '${String(thresholdMode)}' is unknown (use 'rel' or 'abs')`);
    }
    this.optimizer = optimizer;
    this.factor = factor;
    this.mode = mode;
    this.thresholdMode = thresholdMode;
    this.threshold = options.threshold ?? 1e-4;
    this.patience = options.patience ?? 10;
    this.cooldown = options.cooldown ?? 0;
    this.minLrs = perGroup(optimizer, 'minLr', 'ReduceLROnPlateau', options.minLr ?? 0);
    this.eps = options.eps ?? 1e-8;
    this.best = this.modeWorse();
    this.lastLr = optimizer.paramGroups.map((g) => g.lr);
  }

  private modeWorse(): number {
    return this.mode === 'min' ? Infinity : -Infinity;
  }

  /** Whether `a` improves on `best` by more than the threshold. */
  isBetter(a: number, best: number): boolean {
    if (this.mode === 'min' && this.thresholdMode === 'rel') return a < best * (1 - this.threshold);
    if (this.mode === 'min') return a < best - this.threshold;
    if (this.thresholdMode === 'rel') return a > best * (this.threshold + 1);
    return a > best + this.threshold;
  }

  get inCooldown(): boolean {
    return this.cooldownCounter > 0;
  }

  /** Records the metric of this step (a number or a one-element tensor) and reduces the lr if it has plateaued. */
  step(metric: number | Tensor, epoch?: number): void {
    const current = isTensor(metric) ? metric.item() : Number(metric);
    this.lastEpoch = epoch ?? this.lastEpoch + 1;
    if (this.isBetter(current, this.best)) {
      this.best = current;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs++;
    }
    if (this.inCooldown) {
      this.cooldownCounter--;
      this.numBadEpochs = 0; // bad steps during the cooldown do not count
    }
    if (this.numBadEpochs > this.patience) {
      this.reduceLr();
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  private reduceLr(): void {
    this.optimizer.paramGroups.forEach((g, i) => {
      const old = g.lr;
      const next = Math.max(old * this.factor, this.minLrs[i]!);
      if (old - next > this.eps) g.lr = next;
    });
  }

  /** Resets the best value and the counters. */
  reset(): void {
    this.best = this.modeWorse();
    this.cooldownCounter = 0;
    this.numBadEpochs = 0;
  }

  getLastLr(): number[] {
    return [...this.lastLr];
  }

  stateDict(): SchedulerStateDict {
    return ownState(this);
  }

  loadStateDict(state: SchedulerStateDict): void {
    loadOwnState(this, state);
  }
}
