import { saveCheckpoint } from '../checkpoint.js';
import type { Callback, Logs, TrainingContext } from '../types.js';

export interface ModelCheckpointOptions {
  /** Save every N epochs (default 1). */
  everyNEpochs?: number;
  /** Also keep the best epoch by `monitor` under the tag 'best'. */
  saveBest?: boolean;
  /** Only write 'best' checkpoints (no 'latest'). */
  saveBestOnly?: boolean;
  monitor?: string;
  mode?: 'min' | 'max';
  /** Model configuration stored in state.json. */
  config?: unknown;
  seed?: number;
  /** Other callbacks whose state is saved (schedulers, early stopping). */
  callbacks?: Callback[];
  keep?: number;
}

/**
 * Writes crash-safe checkpoints (see `saveCheckpoint`) into `dir` during `fit` (Node entry).
 *
 * @example new ModelCheckpoint('runs/a', { everyNEpochs: 1, saveBest: true, monitor: 'val_loss' })
 */
export class ModelCheckpoint implements Callback {
  readonly name = 'model_checkpoint';
  private ctx?: TrainingContext;
  private best = NaN;

  constructor(private readonly dir: string, private readonly options: ModelCheckpointOptions = {}) {}

  setContext(ctx: TrainingContext): void {
    this.ctx = ctx;
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    const ctx = this.ctx!;
    const o = this.options;
    const base = {
      model: ctx.model, optimizer: ctx.optimizer, epochsCompleted: epoch + 1, history: ctx.history,
      callbacks: [...(o.callbacks ?? []), this], config: o.config, seed: o.seed, keep: o.keep,
    };
    if (!o.saveBestOnly && (epoch + 1) % (o.everyNEpochs ?? 1) === 0) saveCheckpoint(this.dir, base);
    if (o.saveBest || o.saveBestOnly) {
      const m = o.monitor ?? ('val_loss' in logs ? 'val_loss' : 'loss');
      const v = logs[m];
      if (v === undefined) throw new Error(`ModelCheckpoint: log '${m}' is missing`);
      const mode = o.mode ?? (/acc|auc|f1/.test(m) ? 'max' : 'min');
      if (Number.isNaN(this.best) || (mode === 'min' ? v < this.best : v > this.best)) {
        this.best = v;
        saveCheckpoint(this.dir, { ...base, tag: 'best', keep: 1 });
      }
    }
  }

  stateDict(): unknown {
    return { best: Number.isNaN(this.best) ? null : this.best };
  }

  loadStateDict(s: unknown): void {
    this.best = (s as { best: number | null }).best ?? NaN;
  }
}
