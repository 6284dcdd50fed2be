import type { Callback, Logs, TrainingContext } from '../types.js';

/** Stops training at the first batch whose loss is NaN or infinite. */
export class TerminateOnNaN implements Callback {
  readonly name = 'terminate_on_nan';
  private ctx?: TrainingContext;
  /** The (epoch-local) batch where a non-finite loss was seen, or -1. */
  stoppedAtBatch = -1;

  setContext(ctx: TrainingContext): void {
    this.ctx = ctx;
  }

  onBatchEnd(batch: number, logs: Logs): void {
    if (!Number.isFinite(logs.loss!)) {
      this.stoppedAtBatch = batch;
      this.ctx!.stopTraining = true;
    }
  }
}
