/**
 * The Adam rule of core's `adamStep` written out element by element in float64: the one scalar
 * reference the conformance suite checks the composition (and so every backend's `adamStep`
 * kernel, which must equal it) against. The rule itself is owned by `adamStep`
 * (packages/core/src/ops/adam-step.ts); this mirrors its documented formula independently.
 */
import type { AdamStepOptions } from '@mapnn/core';

/** `adamStep`'s hyper-parameters, less AMSGrad's tensor (given here as plain data). */
export type AdamReferenceOptions = Omit<AdamStepOptions, 'maxExpAvgSq'>;

export interface AdamReferenceResult {
  param: Float64Array;
  expAvg: Float64Array;
  expAvgSq: Float64Array;
  /** AMSGrad's running maximum, when `maxExpAvgSq` was given. */
  maxExpAvgSq?: Float64Array;
}

/**
 * One Adam / AdamW / AMSGrad step of PyTorch 1.13 on flat data:
 * `g ← ±grad (+ wd·θ unless decoupled)`, `θ ← θ·(1 − lr·wd)` if decoupled,
 * `m ← β₁m + (1 − β₁)g`, `v ← β₂v + (1 − β₂)g²`, (AMSGrad `v̂ ← max(v̂, v)`),
 * `θ ← θ − lr/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + eps)`.
 */
export function referenceAdamStep(
  param: ArrayLike<number>,
  grad: ArrayLike<number>,
  expAvg: ArrayLike<number>,
  expAvgSq: ArrayLike<number>,
  o: AdamReferenceOptions,
  maxExpAvgSq?: ArrayLike<number>,
): AdamReferenceResult {
  const n = param.length;
  const wd = o.weightDecay ?? 0;
  const out = { param: new Float64Array(n), expAvg: new Float64Array(n), expAvgSq: new Float64Array(n) };
  const maxOut = maxExpAvgSq ? new Float64Array(n) : undefined;
  const stepSize = o.lr / (1 - o.beta1 ** o.step);
  const bc2Sqrt = Math.sqrt(1 - o.beta2 ** o.step);
  for (let i = 0; i < n; i++) {
    let g = o.maximize ? -grad[i]! : grad[i]!;
    let p = param[i]!;
    if (o.decoupled) p *= 1 - o.lr * wd;
    else g += wd * param[i]!;
    const m = o.beta1 * expAvg[i]! + (1 - o.beta1) * g;
    const v = o.beta2 * expAvgSq[i]! + (1 - o.beta2) * g * g;
    const vDenom = maxOut ? (maxOut[i] = Math.max(maxExpAvgSq![i]!, v)) : v;
    out.param[i] = p - (stepSize * m) / (Math.sqrt(vDenom) / bc2Sqrt + o.eps);
    out.expAvg[i] = m;
    out.expAvgSq[i] = v;
  }
  return maxOut ? { ...out, maxExpAvgSq: maxOut } : out;
}
