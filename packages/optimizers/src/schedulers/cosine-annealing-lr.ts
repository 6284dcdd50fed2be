import type { Optimizer } from '../optimizer.js';
import { LRScheduler } from './scheduler.js';

export interface CosineAnnealingLROptions {
  /** Half-period of the cosine, in steps. */
  tMax: number;
  /** Minimum learning rate (default 0). */
  etaMin?: number;
  lastEpoch?: number;
}

/** Python's floor modulo. */
function pyMod(a: number, b: number): number {
  return ((a % b) + b) % b;
}

/**
 * Cosine annealing from each group's initial lr down to `etaMin` over `tMax` steps (PyTorch's
 * `CosineAnnealingLR`, the SGDR schedule without restarts). As in PyTorch the recursive form
 * keeps cycling past `tMax`: the lr climbs back up to the initial lr at `2·tMax`, and so on.
 *
 * ```
 * lr_t = etaMin + (base − etaMin)·(1 + cos(π·t/tMax))/2
 * ```
 *
 * @example const sched = new CosineAnnealingLR(opt, { tMax: 100, etaMin: 1e-5 });
 */
export class CosineAnnealingLR extends LRScheduler {
  tMax: number;
  etaMin: number;

  constructor(optimizer: Optimizer, options: CosineAnnealingLROptions) {
    super(optimizer, options.lastEpoch);
    if (!(options.tMax > 0)) throw new Error(`CosineAnnealingLR: tMax must be positive, got ${options.tMax}`);
    this.tMax = options.tMax;
    this.etaMin = options.etaMin ?? 0;
    this.initialStep();
  }

  protected computeLr(): number[] {
    const { tMax, etaMin, lastEpoch: t } = this;
    if (t === 0) return this.groupLrs();
    if (this.stepCount === 1 && t > 0) {
      return this.baseLrs.map((b) => etaMin + ((b - etaMin) * (1 + Math.cos((t * Math.PI) / tMax))) / 2);
    }
    if (pyMod(t - 1 - tMax, 2 * tMax) === 0) {
      return this.groupLrs().map((lr, i) => lr + ((this.baseLrs[i]! - etaMin) * (1 - Math.cos(Math.PI / tMax))) / 2);
    }
    return this.groupLrs().map(
      (lr) => ((1 + Math.cos((Math.PI * t) / tMax)) / (1 + Math.cos((Math.PI * (t - 1)) / tMax))) * (lr - etaMin) + etaMin,
    );
  }

  protected override closedFormLr(): number[] {
    const { tMax, etaMin, lastEpoch: t } = this;
    return this.baseLrs.map((b) => etaMin + ((b - etaMin) * (1 + Math.cos((Math.PI * t) / tMax))) / 2);
  }
}
