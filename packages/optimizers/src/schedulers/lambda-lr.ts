import type { Optimizer } from '../optimizer.js';
import { LRScheduler } from './scheduler.js';

/** A function of the step index giving a learning-rate factor. */
export type LrLambda = (epoch: number) => number;

function lambdasFor(who: string, optimizer: Optimizer, f: LrLambda | readonly LrLambda[]): LrLambda[] {
  const n = optimizer.paramGroups.length;
  if (typeof f === 'function') return new Array<LrLambda>(n).fill(f);
  if (f.length !== n) throw new Error(`${who}: expected ${n} lr lambdas (one per param group), got ${f.length}`);
  return [...f];
}

/**
 * Sets each group's lr to its initial lr times `lrLambda(epoch)` (PyTorch's `LambdaLR`); one
 * function for all groups or one per group. The functions are not saved in the state dict.
 *
 * @example
 * const sched = new LambdaLR(opt, (epoch) => 0.95 ** epoch);
 */
export class LambdaLR extends LRScheduler {
  lrLambdas: LrLambda[];

  constructor(optimizer: Optimizer, lrLambda: LrLambda | readonly LrLambda[], options: { lastEpoch?: number } = {}) {
    super(optimizer, options.lastEpoch);
    this.lrLambdas = lambdasFor('LambdaLR', optimizer, lrLambda);
    this.initialStep();
  }

  protected computeLr(): number[] {
    return this.baseLrs.map((b, i) => b * this.lrLambdas[i]!(this.lastEpoch));
  }

  protected override stateSkip(): readonly string[] {
    return ['lrLambdas'];
  }
}

/**
 * Multiplies each group's lr by `lrLambda(epoch)` every step after the first (PyTorch's
 * `MultiplicativeLR`).
 *
 * @example
 * const sched = new MultiplicativeLR(opt, () => 0.95);
 */
export class MultiplicativeLR extends LRScheduler {
  lrLambdas: LrLambda[];

  constructor(optimizer: Optimizer, lrLambda: LrLambda | readonly LrLambda[], options: { lastEpoch?: number } = {}) {
    super(optimizer, options.lastEpoch);
    this.lrLambdas = lambdasFor('MultiplicativeLR', optimizer, lrLambda);
    this.initialStep();
  }

  protected computeLr(): number[] {
    if (this.lastEpoch <= 0) return this.groupLrs();
    return this.groupLrs().map((lr, i) => lr * this.lrLambdas[i]!(this.lastEpoch));
  }

  protected override stateSkip(): readonly string[] {
    return ['lrLambdas'];
  }
}
