import type { Optimizer } from '../optimizer.js';
import type { LRScheduler, Scheduler, SchedulerStateDict } from './scheduler.js';

/**
 * Steps several chainable schedulers of one optimizer together (PyTorch's `ChainedScheduler`):
 * each `step()` calls every scheduler's `step()` in order, so their effects compose
 * multiplicatively.
 *
 * @example
 * const sched = new ChainedScheduler([
 *   new ConstantLR(opt, { factor: 0.5, totalIters: 4 }),
 *   new ExponentialLR(opt, { gamma: 0.9 }),
 * ]);
 */
export class ChainedScheduler implements Scheduler {
  readonly optimizer: Optimizer;
  readonly schedulers: LRScheduler[];
  /** @internal */
  lastLr: number[];

  constructor(schedulers: readonly LRScheduler[]) {
    if (schedulers.length === 0) throw new Error('ChainedScheduler: needs at least one scheduler');
    const optimizer = schedulers[0]!.optimizer;
    schedulers.forEach((s, i) => {
      if (s.optimizer !== optimizer) {
        throw new Error(`ChainedScheduler: all schedulers must belong to the same optimizer; schedulers 0 and ${i} do not`);
      }
    });
    this.optimizer = optimizer;
    this.schedulers = [...schedulers];
    this.lastLr = optimizer.paramGroups.map((g) => g.lr);
  }

  step(): void {
    for (const s of this.schedulers) s.step();
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  getLastLr(): number[] {
    return [...this.lastLr];
  }

  stateDict(): SchedulerStateDict {
    return { lastLr: [...this.lastLr], schedulers: this.schedulers.map((s) => s.stateDict()) };
  }

  loadStateDict(state: SchedulerStateDict): void {
    this.lastLr = [...(state.lastLr as number[])];
    (state.schedulers as SchedulerStateDict[]).forEach((s, i) => this.schedulers[i]!.loadStateDict(s));
  }
}
