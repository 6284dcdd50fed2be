import type { Callback, Logs, TrainingContext } from '../types.js';

/** One progress event; a CLI progress bar or a browser chart subscribes to these. */
export type ProgressEvent =
  | { type: 'trainBegin'; epochs: number; batchesPerEpoch?: number }
  | { type: 'epochBegin'; epoch: number; epochs: number }
  | {
      type: 'batch';
      epoch: number;
      batch: number;
      batchesPerEpoch?: number;
      loss: number;
      /** Mean loss over the epoch so far. */
      meanLoss: number;
      samplesPerSecond: number;
      /** Seconds left in this epoch, when the batch count is known. */
      etaSeconds?: number;
    }
  | { type: 'epochEnd'; epoch: number; logs: Logs; seconds: number }
  | { type: 'trainEnd'; logs: Logs };

/**
 * A stream of training progress events: `subscribe(listener)` (returns an unsubscribe
 * function) or `for await (const e of stream)`.
 *
 * @example
 * const progress = new ProgressStream();
 * progress.subscribe((e) => e.type === 'batch' && bar.update(e.batch, { loss: e.meanLoss }));
 * await fit(model, data, { ..., callbacks: [progress] });
 */
export class ProgressStream implements Callback {
  readonly name = 'progress';
  private listeners = new Set<(e: ProgressEvent) => void>();
  private ctx?: TrainingContext;
  private epoch = 0;
  private epochStart = 0;
  private samples = 0;
  private lossSum = 0;
  private queue: ProgressEvent[] = [];
  private waiting: ((r: IteratorResult<ProgressEvent>) => void) | null = null;
  private done = false;

  subscribe(listener: (e: ProgressEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(e: ProgressEvent): void {
    for (const l of this.listeners) l(e);
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = null;
      w({ value: e, done: false });
    } else this.queue.push(e);
  }

  setContext(ctx: TrainingContext): void {
    this.ctx = ctx;
  }

  onTrainBegin(): void {
    this.emit({ type: 'trainBegin', epochs: this.ctx?.epochs ?? 0, batchesPerEpoch: this.ctx?.batchesPerEpoch });
  }

  onEpochBegin(epoch: number): void {
    this.epoch = epoch;
    this.epochStart = Date.now();
    this.samples = 0;
    this.lossSum = 0;
    this.emit({ type: 'epochBegin', epoch, epochs: this.ctx?.epochs ?? 0 });
  }

  onBatchEnd(batch: number, logs: Logs): void {
    const n = logs.size ?? 1;
    this.samples += n;
    this.lossSum += logs.loss! * n;
    const secs = Math.max((Date.now() - this.epochStart) / 1000, 1e-6);
    const total = this.ctx?.batchesPerEpoch;
    this.emit({
      type: 'batch', epoch: this.epoch, batch, batchesPerEpoch: total, loss: logs.loss!,
      meanLoss: this.lossSum / this.samples, samplesPerSecond: this.samples / secs,
      etaSeconds: total ? (secs / (batch + 1)) * (total - batch - 1) : undefined,
    });
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    this.emit({ type: 'epochEnd', epoch, logs, seconds: (Date.now() - this.epochStart) / 1000 });
  }

  onTrainEnd(logs: Logs): void {
    this.emit({ type: 'trainEnd', logs });
    this.done = true;
    if (this.waiting) this.waiting({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterator<ProgressEvent> {
    return {
      next: () => {
        const e = this.queue.shift();
        if (e) return Promise.resolve({ value: e, done: false });
        if (this.done) return Promise.resolve({ value: undefined, done: true });
        return new Promise((r) => (this.waiting = r));
      },
    };
  }
}
