import { noGrad, tidy } from '@mapnn/core';
import type { Module } from '@mapnn/layers';

/**
 * Copies every parameter and buffer of `source` into `target` (same architecture): the hard
 * target-network update.
 *
 * @example copyParameters(q, qTarget)
 */
export function copyParameters(source: Module<any, any>, target: Module<any, any>): void {
  const s = source.stateDict();
  const t = target.stateDict();
  noGrad(() => tidy(() => {
    for (const [k, v] of Object.entries(t)) {
      const src = s[k];
      if (!src) throw new Error(`copyParameters: the source has no '${k}'`);
      v.assign(src);
    }
  }));
}

/**
 * The soft target update `θ' ← τ θ + (1 − τ) θ'` over every parameter.
 *
 * @example polyakUpdate(critic, criticTarget, 0.005)
 */
export function polyakUpdate(source: Module<any, any>, target: Module<any, any>, tau: number): void {
  if (!(tau > 0 && tau <= 1)) throw new Error(`polyakUpdate: tau must be in (0, 1], got ${tau}`);
  const s = source.stateDict();
  const t = target.stateDict();
  noGrad(() => tidy(() => {
    for (const [k, v] of Object.entries(t)) {
      const src = s[k];
      if (!src) throw new Error(`polyakUpdate: the source has no '${k}'`);
      v.assign(v.mul(1 - tau).add(src.mul(tau)));
    }
  }));
}
