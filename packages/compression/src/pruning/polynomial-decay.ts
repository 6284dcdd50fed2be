import { checkSparsity } from './amount.js';

/** The gradual pruning schedule of Zhu & Gupta (2017), "To prune, or not to prune". */
export interface PolynomialDecayOptions {
  /** Sparsity s_i at `beginStep` (default 0). */
  initialSparsity?: number;
  /** Sparsity s_f reached at `endStep`, in [0, 1). */
  finalSparsity: number;
  /** t0: the first step that prunes (default 0). */
  beginStep?: number;
  /** t0 + nΔt: the last step that prunes; must be `beginStep` plus a multiple of `frequency`. */
  endStep: number;
  /** Δt: prune every this many steps (default 100). */
  frequency?: number;
  /** The exponent (default 3, as in the paper). */
  power?: number;
}

/** The options with defaults filled in, checked; `fn` names the caller in errors. */
export function resolveSchedule(o: PolynomialDecayOptions, fn: string): Required<PolynomialDecayOptions> {
  const r = { initialSparsity: 0, beginStep: 0, frequency: 100, power: 3, ...o };
  checkSparsity(r.initialSparsity, `${fn}: initialSparsity`);
  checkSparsity(r.finalSparsity, `${fn}: finalSparsity`);
  for (const k of ['beginStep', 'endStep', 'frequency'] as const) {
    if (!Number.isInteger(r[k]) || r[k] < (k === 'frequency' ? 1 : 0)) throw new RangeError(`${fn}: ${k} must be a ${k === 'frequency' ? 'positive' : 'non-negative'} integer, got ${r[k]}`);
  }
  if (r.endStep < r.beginStep || (r.endStep - r.beginStep) % r.frequency !== 0) {
    throw new RangeError(`${fn}: endStep (${r.endStep}) must be beginStep (${r.beginStep}) plus a multiple of frequency (${r.frequency})`);
  }
  if (!(r.power > 0)) throw new RangeError(`${fn}: power must be positive, got ${r.power}`);
  return r;
}

/**
 * The target sparsity at step t: s_t = s_f + (s_i − s_f)·(1 − (t − t0)/(nΔt))³ for
 * t0 ≤ t ≤ t0 + nΔt; s_i before t0's pruning starts only at t0, s_f after the end.
 *
 * @example polynomialDecaySparsity(50, { finalSparsity: 0.9, endStep: 100, frequency: 10 }) // 0.7875
 */
export function polynomialDecaySparsity(step: number, options: PolynomialDecayOptions): number {
  const o = resolveSchedule(options, 'polynomialDecaySparsity');
  if (o.endStep === o.beginStep) return step >= o.beginStep ? o.finalSparsity : o.initialSparsity;
  const progress = Math.min(1, Math.max(0, (step - o.beginStep) / (o.endStep - o.beginStep)));
  return o.finalSparsity + (o.initialSparsity - o.finalSparsity) * (1 - progress) ** o.power;
}

/** Whether the schedule prunes at `step`: t0, t0 + Δt, …, t0 + nΔt. */
export function isPruningStep(step: number, options: PolynomialDecayOptions): boolean {
  const o = resolveSchedule(options, 'isPruningStep');
  return step >= o.beginStep && step <= o.endStep && (step - o.beginStep) % o.frequency === 0;
}
