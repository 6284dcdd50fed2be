import type { Callback, TrainingContext } from '@mapnn/train';
import { InterruptedError } from '../errors.js';

const nextTick = () => new Promise<void>((r) => setImmediate(r));

/**
 * Lets Ctrl-C (SIGINT) stop training cleanly: the training loop yields to the event loop after
 * every batch (so the signal is seen), and the next batch boundary throws InterruptedError —
 * with the model and optimizer in a consistent state, ready to be checkpointed.
 */
export class InterruptWatch implements Callback {
  requested = false;
  /** The epoch running (0-based) and the last finished batch in it. */
  epoch = 0;
  batch = -1;
  ctx?: TrainingContext;
  private readonly handler = () => this.onSignal();

  constructor(private readonly onFirstSignal: () => void = () => {}) {}

  /** Starts listening for SIGINT (a second one exits at once with 130). */
  install(): this {
    process.on('SIGINT', this.handler);
    return this;
  }

  uninstall(): void {
    process.off('SIGINT', this.handler);
  }

  private onSignal(): void {
    if (this.requested) process.exit(130);
    this.requested = true;
    this.onFirstSignal();
  }

  setContext(ctx: TrainingContext): void {
    this.ctx = ctx;
  }

  async onEpochBegin(epoch: number): Promise<void> {
    this.epoch = epoch;
    this.batch = -1;
    await nextTick();
    if (this.requested) throw new InterruptedError();
  }

  async onBatchEnd(batch: number): Promise<void> {
    this.batch = batch;
    await nextTick();
    if (this.requested) throw new InterruptedError();
  }

  async onEpochEnd(): Promise<void> {
    await nextTick();
  }
}
