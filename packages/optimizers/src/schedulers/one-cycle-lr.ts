import type { Optimizer } from '../optimizer.js';
import { groupNumber, LRScheduler, perGroup } from './scheduler.js';

export interface OneCycleLROptions {
  /** Peak learning rate (one for all groups or one per group). */
  maxLr: number | readonly number[];
  /** Steps in the cycle; or give `epochs` and `stepsPerEpoch`. */
  totalSteps?: number;
  epochs?: number;
  stepsPerEpoch?: number;
  /** Fraction of the cycle spent increasing the lr (default 0.3). */
  pctStart?: number;
  /** `'cos'` (default) or `'linear'` annealing. */
  annealStrategy?: 'cos' | 'linear';
  /** Cycle the momentum (SGD/RMSprop `momentum`, Adam-family `betas[0]`) inversely to the lr (default true). */
  cycleMomentum?: boolean;
  /** Momentum at the lr peak (default 0.85). */
  baseMomentum?: number | readonly number[];
  /** Momentum at the start and end of the cycle (default 0.95). */
  maxMomentum?: number | readonly number[];
  /** initialLr = maxLr / divFactor (default 25). */
  divFactor?: number;
  /** minLr = initialLr / finalDivFactor (default 1e4). */
  finalDivFactor?: number;
  /** Three phases (up, back down to initialLr, then annihilation to minLr) as in the paper (default false). */
  threePhase?: boolean;
  /** Index of the last batch when resuming (default -1). */
  lastEpoch?: number;
}

interface Phase {
  endStep: number;
  startLr: string;
  endLr: string;
  startMomentum: string;
  endMomentum: string;
}

/**
 * The 1cycle policy (Smith; PyTorch's `OneCycleLR`): per batch, the lr rises from
 * `maxLr/divFactor` to `maxLr` over the first `pctStart` of the cycle and then anneals to
 * `initialLr/finalDivFactor`, while the momentum (or Adam's beta1) moves inversely between
 * `maxMomentum` and `baseMomentum`. As in PyTorch, construction overwrites the groups' lr and
 * momentum/betas from the start, and the groups get `initialLr`, `maxLr`, `minLr` (and
 * `maxMomentum`, `baseMomentum`) keys. Stepping past `totalSteps` throws.
 *
 * @example
 * const sched = new OneCycleLR(opt, { maxLr: 0.1, epochs: 10, stepsPerEpoch: batches.length });
 * // call sched.step() after every batch
 */
export class OneCycleLR extends LRScheduler {
  totalSteps: number;
  phases: Phase[];
  annealStrategy: 'cos' | 'linear';
  cycleMomentum: boolean;
  useBeta1: boolean;

  constructor(optimizer: Optimizer, options: OneCycleLROptions) {
    const setup = OneCycleLR.setUp(optimizer, options);
    super(optimizer, options.lastEpoch);
    this.totalSteps = setup.totalSteps;
    this.phases = setup.phases;
    this.annealStrategy = options.annealStrategy ?? 'cos';
    this.cycleMomentum = options.cycleMomentum ?? true;
    this.useBeta1 = setup.useBeta1;
    this.initialStep();
  }

  /** Validates the options and writes the cycle's keys into the groups (before the base class reads them). */
  private static setUp(optimizer: Optimizer, o: OneCycleLROptions): { totalSteps: number; phases: Phase[]; useBeta1: boolean } {
    const who = 'OneCycleLR';
    let totalSteps: number;
    if (o.totalSteps !== undefined) {
      if (!Number.isInteger(o.totalSteps) || o.totalSteps <= 0) throw new Error(`${who}: expected a positive integer totalSteps, got ${o.totalSteps}`);
      totalSteps = o.totalSteps;
    } else if (o.epochs !== undefined && o.stepsPerEpoch !== undefined) {
      if (!Number.isInteger(o.epochs) || o.epochs <= 0) throw new Error(`${who}: expected a positive integer epochs, got ${o.epochs}`);
      if (!Number.isInteger(o.stepsPerEpoch) || o.stepsPerEpoch <= 0) {
        throw new Error(`${who}: expected a positive integer stepsPerEpoch, got ${o.stepsPerEpoch}`);
      }
      totalSteps = o.epochs * o.stepsPerEpoch;
    } else {
      throw new Error(`${who}: give either totalSteps or both epochs and stepsPerEpoch`);
    }
    const pct = o.pctStart ?? 0.3;
    if (!(pct >= 0 && pct <= 1)) throw new Error(`${who}: expected pctStart in [0, 1], got ${pct}`);
    const strategy = o.annealStrategy ?? 'cos';
    if (strategy !== 'cos' && strategy !== 'linear') throw new Error(`${who}: annealStrategy must be 'cos' or 'linear', got '${String(strategy)}'`);
    const phases: Phase[] = o.threePhase
      ? [
          { endStep: pct * totalSteps - 1, startLr: 'initialLr', endLr: 'maxLr', startMomentum: 'maxMomentum', endMomentum: 'baseMomentum' },
          { endStep: 2 * pct * totalSteps - 2, startLr: 'maxLr', endLr: 'initialLr', startMomentum: 'baseMomentum', endMomentum: 'maxMomentum' },
          { endStep: totalSteps - 1, startLr: 'initialLr', endLr: 'minLr', startMomentum: 'maxMomentum', endMomentum: 'maxMomentum' },
        ]
      : [
          { endStep: pct * totalSteps - 1, startLr: 'initialLr', endLr: 'maxLr', startMomentum: 'maxMomentum', endMomentum: 'baseMomentum' },
          { endStep: totalSteps - 1, startLr: 'maxLr', endLr: 'minLr', startMomentum: 'baseMomentum', endMomentum: 'maxMomentum' },
        ];
    const resuming = (o.lastEpoch ?? -1) !== -1;
    const maxLrs = perGroup(optimizer, 'maxLr', who, o.maxLr);
    const divFactor = o.divFactor ?? 25;
    const finalDivFactor = o.finalDivFactor ?? 1e4;
    if (!resuming) {
      optimizer.paramGroups.forEach((g, i) => {
        g.initialLr = maxLrs[i]! / divFactor;
        g.maxLr = maxLrs[i]!;
        g.minLr = (g.initialLr as number) / finalDivFactor;
      });
    }
    let useBeta1 = false;
    if (o.cycleMomentum ?? true) {
      const defaults = optimizer.defaults as unknown as Record<string, unknown>;
      if (!('momentum' in defaults) && !('betas' in defaults)) {
        throw new Error(`${who}: optimizer ${optimizer.name} has no momentum or betas; pass cycleMomentum: false`);
      }
      useBeta1 = 'betas' in defaults;
      const maxM = perGroup(optimizer, 'maxMomentum', who, o.maxMomentum ?? 0.95);
      const baseM = perGroup(optimizer, 'baseMomentum', who, o.baseMomentum ?? 0.85);
      if (!resuming) {
        optimizer.paramGroups.forEach((g, i) => {
          if (useBeta1) g.betas = [maxM[i]!, ...(g.betas as number[]).slice(1)];
          else g.momentum = maxM[i]!;
          g.maxMomentum = maxM[i]!;
          g.baseMomentum = baseM[i]!;
        });
      }
    }
    return { totalSteps, phases, useBeta1 };
  }

  private anneal(start: number, end: number, pct: number): number {
    if (this.annealStrategy === 'linear') return (end - start) * pct + start;
    const cosOut = Math.cos(Math.PI * pct) + 1;
    return end + ((start - end) / 2) * cosOut;
  }

  protected computeLr(): number[] {
    const stepNum = this.lastEpoch;
    if (stepNum > this.totalSteps) {
      throw new Error(`OneCycleLR: tried to step ${stepNum + 1} times; the cycle has totalSteps ${this.totalSteps}`);
    }
    return this.optimizer.paramGroups.map((g, gi) => {
      let startStep = 0;
      let lr = 0;
      let momentum = 0;
      for (let i = 0; i < this.phases.length; i++) {
        const phase = this.phases[i]!;
        const endStep = phase.endStep;
        if (stepNum <= endStep || i === this.phases.length - 1) {
          const pct = (stepNum - startStep) / (endStep - startStep);
          lr = this.anneal(groupNumber(g, phase.startLr, 'OneCycleLR', gi), groupNumber(g, phase.endLr, 'OneCycleLR', gi), pct);
          if (this.cycleMomentum) {
            momentum = this.anneal(
              groupNumber(g, phase.startMomentum, 'OneCycleLR', gi),
              groupNumber(g, phase.endMomentum, 'OneCycleLR', gi),
              pct,
            );
          }
          break;
        }
        startStep = phase.endStep;
      }
      if (this.cycleMomentum) {
        if (this.useBeta1) g.betas = [momentum, ...(g.betas as number[]).slice(1)];
        else g.momentum = momentum;
      }
      return lr;
    });
  }
}
