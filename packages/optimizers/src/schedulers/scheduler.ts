import type { Optimizer, ParamGroup } from '../optimizer.js';
import { decodeJson, encodeJson } from '../serialize.js';

/** A scheduler's state as plain JSON-able data. */
export type SchedulerStateDict = Record<string, unknown>;

/** What every learning-rate scheduler offers. */
export interface Scheduler {
  readonly optimizer: Optimizer;
  /** Advances the schedule (call once per epoch or per batch, after `optimizer.step()`). */
  step(...args: never[]): void;
  /** The learning rates of the parameter groups after the last `step` (or construction). */
  getLastLr(): number[];
  stateDict(): SchedulerStateDict;
  loadStateDict(state: SchedulerStateDict): void;
}

/** Keys never saved in a state dict. */
const ALWAYS_SKIPPED = new Set(['optimizer']);

/** @internal `obj`'s own data fields as JSON-able data, leaving out `skip` and functions. */
export function ownState(obj: object, skip: readonly string[] = []): SchedulerStateDict {
  const out: SchedulerStateDict = {};
  for (const [k, v] of Object.entries(obj)) {
    if (ALWAYS_SKIPPED.has(k) || skip.includes(k) || typeof v === 'function') continue;
    out[k] = encodeJson(v);
  }
  return out;
}

/** @internal Restores fields saved by `ownState`. */
export function loadOwnState(obj: object, state: SchedulerStateDict, skip: readonly string[] = []): void {
  for (const [k, v] of Object.entries(state)) {
    if (ALWAYS_SKIPPED.has(k) || skip.includes(k)) continue;
    (obj as Record<string, unknown>)[k] = decodeJson(v);
  }
}

/** `num` of a group's key, with a clear error if it is missing. */
export function groupNumber(group: ParamGroup, key: string, who: string, index: number): number {
  const v = group[key];
  if (typeof v !== 'number') throw new Error(`${who}: param group ${index} has no numeric '${key}'`);
  return v;
}

/**
 * Base class of the epoch-indexed learning-rate schedulers, with PyTorch's semantics
 * (`_LRScheduler`, 1.13):
 *
 * - Construction stores each group's `initialLr` (unless present) as its base lr and performs
 *   the first step (epoch 0), so `getLastLr()` is the schedule's first value.
 * - `step()` advances `lastEpoch` by one and sets each group's `lr` from the *chainable* form
 *   (computed from the current lr), so several schedulers can drive one optimizer.
 * - `step(epoch)` jumps to `epoch` using the closed form where the scheduler has one.
 *
 * Subclasses implement `computeLr()` (the chainable form), optionally `closedFormLr()`, and call
 * `this.initialStep()` at the end of their constructor.
 */
export abstract class LRScheduler implements Scheduler {
  readonly optimizer: Optimizer;
  /** The groups' initial learning rates. */
  baseLrs: number[];
  /** Index of the last step (-1 before the first). */
  lastEpoch: number;
  /** @internal Number of `step` calls since the last (re)start. */
  stepCount = 0;
  /** @internal */
  lastLr: number[] = [];

  constructor(optimizer: Optimizer, lastEpoch = -1) {
    this.optimizer = optimizer;
    const who = this.constructor.name || 'LRScheduler';
    optimizer.paramGroups.forEach((g, i) => {
      if (lastEpoch === -1) {
        if (g.initialLr === undefined) g.initialLr = g.lr;
      } else if (g.initialLr === undefined) {
        throw new Error(`${who}: param group ${i} has no 'initialLr'; it is needed to resume with lastEpoch ${lastEpoch}`);
      }
    });
    this.baseLrs = optimizer.paramGroups.map((g, i) => groupNumber(g, 'initialLr', who, i));
    this.lastEpoch = lastEpoch;
  }

  /** The chainable learning rates for `lastEpoch` (may read the groups' current lr). */
  protected abstract computeLr(): number[];

  /** The closed-form learning rates for `lastEpoch`, or null if the scheduler has none. */
  protected closedFormLr(): number[] | null {
    return null;
  }

  /** @internal Resets the step counter and performs the first step (PyTorch's `_initial_step`). */
  initialStep(): void {
    this.stepCount = 0;
    this.step();
  }

  /**
   * Advances the schedule by one (or jumps to `epoch`, using the closed form where there is one)
   * and writes the new learning rates into the optimizer's groups.
   */
  step(epoch?: number): void {
    this.stepCount++;
    let values: number[];
    if (epoch === undefined) {
      this.lastEpoch++;
      values = this.computeLr();
    } else {
      this.lastEpoch = epoch;
      values = this.closedFormLr() ?? this.computeLr();
    }
    this.optimizer.paramGroups.forEach((g, i) => {
      g.lr = values[i]!;
    });
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /** Keys of fields left out of the state dict (functions are always left out). */
  protected stateSkip(): readonly string[] {
    return [];
  }

  /** The scheduler's fields (all but the optimizer and functions) as JSON-able data. */
  stateDict(): SchedulerStateDict {
    return ownState(this, this.stateSkip());
  }

  /** Restores a state saved by `stateDict()` (load the optimizer's state as well). */
  loadStateDict(state: SchedulerStateDict): void {
    loadOwnState(this, state, this.stateSkip());
  }

  /** The current learning rates of the optimizer's groups. */
  protected groupLrs(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }
}

/** A per-group value: one number for all groups or one per group. */
export function perGroup(optimizer: Optimizer, name: string, who: string, v: number | readonly number[]): number[] {
  const n = optimizer.paramGroups.length;
  if (typeof v === 'number') return new Array<number>(n).fill(v);
  if (v.length !== n) throw new Error(`${who}: expected ${n} values for ${name} (one per param group), got ${v.length}`);
  return [...v];
}
