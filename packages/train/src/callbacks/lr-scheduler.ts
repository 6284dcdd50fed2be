import type { Callback, Logs } from '../types.js';

/** What the callback needs of a scheduler (every @mapnn/optimizers scheduler has it). */
export interface SchedulerLike {
  step(metric?: number): void;
  stateDict?(): unknown;
  loadStateDict?(state: unknown): void;
}

/**
 * Steps an LR scheduler after every epoch (default) or every batch. For ReduceLROnPlateau give
 * `monitor` (e.g. `'val_loss'`): its value is passed to `step`.
 *
 * @example new LRSchedulerCallback(new CosineAnnealingLR(opt, { tMax: 20 }))
 */
export class LRSchedulerCallback implements Callback {
  readonly name = 'lr_scheduler';
  constructor(
    private readonly scheduler: SchedulerLike,
    private readonly options: { perBatch?: boolean; monitor?: string } = {},
  ) {}

  onBatchEnd(): void {
    if (this.options.perBatch) this.scheduler.step();
  }

  onEpochEnd(_epoch: number, logs: Logs): void {
    if (this.options.perBatch) return;
    if (this.options.monitor) {
      const v = logs[this.options.monitor];
      if (v === undefined) throw new Error(`LRSchedulerCallback: log '${this.options.monitor}' is missing`);
      this.scheduler.step(v);
    } else this.scheduler.step();
  }

  stateDict(): unknown {
    return this.scheduler.stateDict?.();
  }

  loadStateDict(s: unknown): void {
    this.scheduler.loadStateDict?.(s);
  }
}
