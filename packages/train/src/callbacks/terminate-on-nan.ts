import type { Callback, Logs, TrainingContext } from '../types.js';

/**
 * Stops training at the first batch whose loss is NaN or infinite: `fit` runs no further batch
 * and drops the unfinished epoch (no validation, no `onEpochEnd`, so `ModelCheckpoint` writes
 * nothing for it). The optimizer step of that batch has already been applied, so the model in
 * memory may hold non-finite weights; the last checkpoint is the good one.
 *
 * @example
 * const nan = new TerminateOnNaN();
 * await fit(model, data, { ..., callbacks: [nan] });
 * if (nan.stopped) throw new Error(nan.message);
 */
export class TerminateOnNaN implements Callback {
  readonly name = 'terminate_on_nan';
  private ctx?: TrainingContext;
  private epoch = 0;
  /** The epoch where a non-finite loss was seen, or -1. */
  stoppedAtEpoch = -1;
  /** The (epoch-local) batch where a non-finite loss was seen, or -1. */
  stoppedAtBatch = -1;
  /** The non-finite loss value (NaN, Infinity or -Infinity), or undefined. */
  loss: number | undefined;

  setContext(ctx: TrainingContext): void {
    this.ctx = ctx;
  }

  /** Whether training was stopped by a non-finite loss. */
  get stopped(): boolean {
    return this.stoppedAtBatch >= 0;
  }

  /** One line naming the epoch, batch and value, e.g. for a CLI error; '' when not stopped. */
  get message(): string {
    if (!this.stopped) return '';
    return `TerminateOnNaN: the loss became ${this.loss} at epoch ${this.stoppedAtEpoch}, batch ${this.stoppedAtBatch} (0-based); training stopped`;
  }

  onTrainBegin(): void {
    this.stoppedAtEpoch = -1;
    this.stoppedAtBatch = -1;
    this.loss = undefined;
  }

  onEpochBegin(epoch: number): void {
    this.epoch = epoch;
  }

  onBatchEnd(batch: number, logs: Logs): void {
    if (!Number.isFinite(logs.loss!)) {
      this.stoppedAtEpoch = this.epoch;
      this.stoppedAtBatch = batch;
      this.loss = logs.loss;
      this.ctx!.stopTraining = true;
    }
  }
}
