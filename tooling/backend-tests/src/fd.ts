import { describe, expect, it } from 'vitest';
import { dispose, type Tensor } from '@mapnn/core';
import { allCases, GRAD_CHECK_EXCLUSIONS, opsOf, SECOND_ORDER_CASES } from './cases/index.js';
import { caseFn, caseInputs, diffIndices } from './golden.js';
import { gradCheck } from './gradcheck.js';
import type { GoldenCase, ResolvedOptions } from './types.js';

/** Golden cases that get a finite-difference check: differentiable, not on a kink, not excluded. */
export function fdCases(): GoldenCase[] {
  return allCases().filter((c) => c.grads && c.fd !== false && !opsOf(c).some((op) => op in GRAD_CHECK_EXCLUSIONS));
}

async function check(c: GoldenCase, o: ResolvedOptions, order: 1 | 2): Promise<void> {
  const dt = o.float64 ? 'float64' : 'float32';
  const all = caseInputs(c, dt);
  const wrt = diffIndices(c).map((i) => all[i]!);
  try {
    const res = await gradCheck(caseFn(c, all), wrt, { order });
    expect(res.ok, `${c.name}: ${res.message}`).toBe(true);
  } finally {
    dispose(all as Tensor[]);
  }
}

/**
 * Finite-difference gradient checks in float64 on the golden cases' inputs (first order for
 * every differentiable case, second order for SECOND_ORDER_CASES).
 */
export function gradCheckSuite(o: ResolvedOptions): void {
  const cases = fdCases();
  describe(`finite-difference gradients (${o.float64 ? 'float64' : 'float32'})`, () => {
    describe('first order', () => {
      for (const c of cases) {
        it.skipIf(o.isExcluded('gradcheck', c.name, ...opsOf(c)))(c.name, () => check(c, o, 1));
      }
    });
    describe('second order', () => {
      for (const name of SECOND_ORDER_CASES) {
        const c = cases.find((k) => k.name === name);
        it.skipIf(o.isExcluded('gradcheck2', name, ...(c ? opsOf(c) : [])))(name, () => {
          expect(c, `second-order case '${name}' is not a differentiable golden case`).toBeDefined();
          return check(c!, o, 2);
        });
      }
    });
  });
}
