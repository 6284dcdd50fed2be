import type { Callback, TrainingContext } from '@mapnn/train';
import type { Module } from '@mapnn/layers';
import { countUnpruned, l1Mask } from './l1-mask.js';
import { globalUnstructured, targetOf, type PruneTarget } from './global-unstructured.js';
import { currentMask, defaultTargets, prunableParameter, setMask, typeOf } from './masked-parameter.js';
import { isPruningStep, polynomialDecaySparsity, resolveSchedule, type PolynomialDecayOptions } from './polynomial-decay.js';
import { roundHalfEven } from './amount.js';

export interface GradualPruningOptions extends PolynomialDecayOptions {
  /**
   * What to prune (modules, or `[module, name]`); default every module of the trained model
   * with a `weight` parameter of two or more dimensions (Linear, Conv, Embedding).
   */
  targets?: readonly PruneTarget[];
  /** 'layer' (default): each target reaches the sparsity; 'global': all targets together. */
  scope?: 'layer' | 'global';
}

/**
 * Gradual magnitude pruning during `fit` (Zhu & Gupta 2017; TensorFlow Model Optimization's
 * `PolynomialDecay`): after training batch t (counted over the whole run from 0; with
 * `accumulate`, several batches make one optimizer step), when t is t0, t0 + Δt, …, t0 + nΔt,
 * the smallest-magnitude weights are masked until the sparsity is
 * s_t = s_f + (s_i − s_f)(1 − (t − t0)/(nΔt))³. Masks only grow and stay on the modules, so
 * pruned weights stay zero through every later step; call `removePruning` after training.
 * Its step counter is saved in checkpoints (`stateDict`) so a resumed run continues the schedule.
 *
 * @example await fit(model, data, { ..., callbacks: [new GradualPruning({ finalSparsity: 0.9, beginStep: 100, endStep: 1000, frequency: 100 })] });
 */
export class GradualPruning implements Callback {
  readonly name = 'gradual_pruning';
  private readonly schedule: Required<PolynomialDecayOptions>;
  private ctx?: TrainingContext;
  /** Training batches seen so far. */
  step = 0;
  /** The sparsity the last pruning step reached (NaN before the first). */
  lastSparsity = Number.NaN;

  constructor(private readonly options: GradualPruningOptions) {
    this.schedule = resolveSchedule(options, 'GradualPruning');
  }

  setContext(ctx: TrainingContext): void {
    this.ctx = ctx;
  }

  /** The targets: given, or every ≥2-D `weight` of the model. */
  targets(): [Module<any, any>, string][] {
    if (this.options.targets) return this.options.targets.map(targetOf);
    if (!this.ctx) throw new Error('GradualPruning: no targets given and no model yet (pass targets, or use it as a fit callback)');
    const found = defaultTargets(this.ctx.model);
    if (!found.length) throw new TypeError(`GradualPruning: ${typeOf(this.ctx.model)} has no module with a weight of two or more dimensions to prune`);
    return found;
  }

  onBatchEnd(): void {
    const t = this.step++;
    if (isPruningStep(t, this.schedule)) this.pruneTo(polynomialDecaySparsity(t, this.schedule));
  }

  /** Masks each target (or all together) up to `sparsity` of its entries. */
  pruneTo(sparsity: number): void {
    const targets = this.targets();
    const state = targets.map(([m, n]) => {
      const orig = prunableParameter(m, n, 'GradualPruning');
      return { module: m, name: n, orig, mask: currentMask(m, n, orig.size) };
    });
    // entries still to prune so that round(sparsity · size) are pruned in all
    const missing = (size: number, left: number) => Math.max(0, roundHalfEven(sparsity * size) - (size - left));
    if (this.options.scope === 'global') {
      const size = state.reduce((s, x) => s + x.orig.size, 0);
      const left = state.reduce((s, x) => s + countUnpruned(x.mask), 0);
      globalUnstructured(targets, { count: missing(size, left) });
    } else {
      for (const x of state) setMask(x.module, x.name, l1Mask(x.orig.dataSync(), x.mask, missing(x.orig.size, countUnpruned(x.mask))));
    }
    this.lastSparsity = sparsity;
  }

  stateDict(): unknown {
    return { step: this.step, lastSparsity: Number.isNaN(this.lastSparsity) ? null : this.lastSparsity };
  }

  loadStateDict(state: unknown): void {
    const s = state as { step: number; lastSparsity: number | null };
    this.step = s.step;
    this.lastSparsity = s.lastSparsity ?? Number.NaN;
  }
}
