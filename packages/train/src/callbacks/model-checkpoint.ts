import type { Tensor } from '@mapnn/core';
import { saveCheckpoint } from '../checkpoint.js';
import { nonFiniteWeights, type NonFiniteWeight } from '../finite.js';
import type { Callback, Logs, TrainingContext } from '../types.js';
import { isImprovement } from './improvement.js';

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
  /** Where the one-line warning of a skipped (non-finite) checkpoint goes (default `console.warn`). */
  log?: (message: string) => void;
}

/** A checkpoint ModelCheckpoint refused to write because the model held NaN/Inf values. */
export interface SkippedCheckpoint {
  epoch: number;
  nonFinite: NonFiniteWeight[];
}

/**
 * Writes crash-safe checkpoints (see `saveCheckpoint`) into `dir` during `fit` (Node entry).
 * Never writes a model with NaN/Inf weights or buffers: such an epoch is skipped with one
 * warning (see `skipped`), so the previous, finite checkpoint stays the one `latest`/`best`
 * point at. With `saveBest`/`saveBestOnly`, a NaN (or infinite) metric is worse than any number.
 *
 * @example new ModelCheckpoint('runs/a', { everyNEpochs: 1, saveBest: true, monitor: 'val_loss' })
 */
export class ModelCheckpoint implements Callback {
  readonly name = 'model_checkpoint';
  private ctx?: TrainingContext;
  private best: number | undefined;
  /** Epochs not written because the model had non-finite values, in order. */
  readonly skipped: SkippedCheckpoint[] = [];

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
    const wantLatest = !o.saveBestOnly && (epoch + 1) % (o.everyNEpochs ?? 1) === 0;
    const wantBest = (o.saveBest || o.saveBestOnly) && this.improves(logs);
    if (!wantLatest && !wantBest) return;
    const bad = nonFiniteWeights(ctx.model.stateDict() as Record<string, Tensor>);
    if (bad.length) {
      this.skip(epoch, bad);
      return;
    }
    if (wantLatest) saveCheckpoint(this.dir, base);
    if (wantBest) {
      this.best = logs[this.monitorOf(logs)];
      saveCheckpoint(this.dir, { ...base, tag: 'best', keep: 1 });
    }
  }

  private monitorOf(logs: Logs): string {
    return this.options.monitor ?? ('val_loss' in logs ? 'val_loss' : 'loss');
  }

  private improves(logs: Logs): boolean {
    const m = this.monitorOf(logs);
    const v = logs[m];
    if (v === undefined) throw new Error(`ModelCheckpoint: log '${m}' is missing (logs: ${Object.keys(logs).join(', ')})`);
    return isImprovement(v, this.best, this.options.mode ?? (/acc|auc|f1/.test(m) ? 'max' : 'min'));
  }

  private skip(epoch: number, nonFinite: NonFiniteWeight[]): void {
    this.skipped.push({ epoch, nonFinite });
    const total = nonFinite.reduce((s, w) => s + w.count, 0);
    const names = nonFinite.slice(0, 3).map((w) => `${w.name} (${w.count})`).join(', ');
    (this.options.log ?? console.warn)(
      `ModelCheckpoint: epoch ${epoch} not saved: the model has ${total} NaN/Inf values in ${nonFinite.length} tensors (${names}${nonFinite.length > 3 ? ', …' : ''}); the previous checkpoint in ${this.dir} is kept`,
    );
  }

  stateDict(): unknown {
    return { best: this.best ?? null };
  }

  loadStateDict(s: unknown): void {
    const best = (s as { best: number | null }).best;
    this.best = typeof best === 'number' && Number.isFinite(best) ? best : undefined;
  }
}
