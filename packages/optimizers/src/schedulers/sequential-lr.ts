import type { Optimizer } from '../optimizer.js';
import type { LRScheduler, Scheduler, SchedulerStateDict } from './scheduler.js';

export interface SequentialLROptions {
  /** The schedulers, in order (all of the same optimizer). */
  schedulers: readonly LRScheduler[];
  /** Steps at which the next scheduler takes over (one fewer than the schedulers). */
  milestones: readonly number[];
  lastEpoch?: number;
}

/**
 * Runs schedulers one after another, switching at the milestones (PyTorch's `SequentialLR`):
 * construction restores the initial lrs and restarts the first scheduler; at a milestone the
 * next scheduler starts from its epoch 0.
 *
 * @example
 * // 5 epochs of linear warm-up, then cosine annealing
 * const sched = new SequentialLR(opt, {
 *   schedulers: [new LinearLR(opt, { startFactor: 0.1, totalIters: 5 }), new CosineAnnealingLR(opt, { tMax: 95 })],
 *   milestones: [5],
 * });
 */
export class SequentialLR implements Scheduler {
  readonly optimizer: Optimizer;
  readonly schedulers: LRScheduler[];
  milestones: number[];
  lastEpoch: number;
  /** @internal */
  lastLr: number[];

  constructor(optimizer: Optimizer, options: SequentialLROptions) {
    const { schedulers, milestones } = options;
    if (schedulers.length === 0) throw new Error('SequentialLR: needs at least one scheduler');
    schedulers.forEach((s, i) => {
      if (s.optimizer !== optimizer) {
        throw new Error(`SequentialLR: every scheduler must belong to the optimizer passed in; scheduler ${i} does not`);
      }
    });
    if (milestones.length !== schedulers.length - 1) {
      throw new Error(
        `SequentialLR: expected one milestone fewer than schedulers, got ${schedulers.length} schedulers and ${milestones.length} milestones`,
      );
    }
    this.optimizer = optimizer;
    this.schedulers = [...schedulers];
    this.milestones = [...milestones];
    this.lastEpoch = (options.lastEpoch ?? -1) + 1;
    // restore the initial lrs, undo the step each scheduler made at construction, restart the first
    for (const g of optimizer.paramGroups) g.lr = g.initialLr as number;
    for (const s of this.schedulers) s.lastEpoch -= 1;
    this.schedulers[0]!.initialStep();
    this.lastLr = this.schedulers[0]!.getLastLr();
  }

  step(): void {
    this.lastEpoch++;
    const idx = this.milestones.filter((m) => m <= this.lastEpoch).length;
    const s = this.schedulers[idx]!;
    if (idx > 0 && this.milestones[idx - 1] === this.lastEpoch) s.step(0);
    else s.step();
    this.lastLr = s.getLastLr();
  }

  getLastLr(): number[] {
    return [...this.lastLr];
  }

  stateDict(): SchedulerStateDict {
    return {
      lastEpoch: this.lastEpoch,
      milestones: [...this.milestones],
      lastLr: [...this.lastLr],
      schedulers: this.schedulers.map((s) => s.stateDict()),
    };
  }

  loadStateDict(state: SchedulerStateDict): void {
    this.lastEpoch = state.lastEpoch as number;
    this.milestones = [...(state.milestones as number[])];
    this.lastLr = [...(state.lastLr as number[])];
    (state.schedulers as SchedulerStateDict[]).forEach((s, i) => this.schedulers[i]!.loadStateDict(s));
  }
}
