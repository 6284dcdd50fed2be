import { keep, noGrad, type Tensor } from '@mapnn/core';
import type { Callback, Logs, TrainingContext } from '../types.js';
import { isImprovement } from './improvement.js';

export interface EarlyStoppingOptions {
  /** Log to watch (default `'val_loss'`, falling back to `'loss'` without validation). */
  monitor?: string;
  /** Epochs without improvement before stopping (default 0). */
  patience?: number;
  /** Smallest change that counts as an improvement (default 0). */
  minDelta?: number;
  /** `'min'`, `'max'`, or `'auto'` (max for accuracy-like names, else min). */
  mode?: 'min' | 'max' | 'auto';
  /** At the end, put back the weights of the best epoch (default false). */
  restoreBestWeights?: boolean;
}

/**
 * Stops training when the monitored log stops improving (Keras semantics). A NaN or infinite
 * value is worse than any number: it never becomes the best epoch (nor its weights the ones
 * restored) and counts as an epoch without improvement.
 *
 * @example new EarlyStopping({ monitor: 'val_loss', patience: 3, restoreBestWeights: true })
 */
export class EarlyStopping implements Callback {
  readonly name = 'early_stopping';
  private ctx?: TrainingContext;
  private best: number | undefined;
  private wait = 0;
  private bestWeights: Record<string, Tensor> | null = null;
  /** The epoch training was stopped after, or -1. */
  stoppedEpoch = -1;
  bestEpoch = -1;

  constructor(private readonly options: EarlyStoppingOptions = {}) {}

  setContext(ctx: TrainingContext): void {
    this.ctx = ctx;
  }

  private monitorOf(logs: Logs): string {
    const m = this.options.monitor;
    if (m) {
      if (!(m in logs)) throw new Error(`EarlyStopping: monitored log '${m}' is not among ${Object.keys(logs).join(', ')}`);
      return m;
    }
    return 'val_loss' in logs ? 'val_loss' : 'loss';
  }

  private better(v: number, name: string): boolean {
    const mode = this.options.mode && this.options.mode !== 'auto' ? this.options.mode : /acc|auc|f1|precision|recall|r2/.test(name) ? 'max' : 'min';
    return isImprovement(v, this.best, mode, this.options.minDelta ?? 0);
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    const name = this.monitorOf(logs);
    const v = logs[name]!;
    if (this.better(v, name)) {
      this.best = v;
      this.wait = 0;
      this.bestEpoch = epoch;
      if (this.options.restoreBestWeights) this.snapshot();
    } else if (++this.wait > (this.options.patience ?? 0)) {
      this.stoppedEpoch = epoch;
      this.ctx!.stopTraining = true;
    }
  }

  onTrainEnd(): void {
    if (this.options.restoreBestWeights && this.bestWeights && this.ctx) {
      this.ctx.model.loadStateDict(this.bestWeights);
    }
    this.release();
  }

  private snapshot(): void {
    this.release();
    const sd = this.ctx!.model.stateDict();
    this.bestWeights = noGrad(() => Object.fromEntries(Object.entries(sd).map(([k, t]) => [k, keep(t.mul(1))])));
  }

  private release(): void {
    if (this.bestWeights) for (const t of Object.values(this.bestWeights)) t.dispose();
    this.bestWeights = null;
  }

  stateDict(): unknown {
    return { best: this.best ?? null, wait: this.wait, bestEpoch: this.bestEpoch };
  }

  loadStateDict(s: unknown): void {
    const st = s as { best: number | null; wait: number; bestEpoch: number };
    this.best = typeof st.best === 'number' && Number.isFinite(st.best) ? st.best : undefined;
    this.wait = st.wait;
    this.bestEpoch = st.bestEpoch;
  }
}
