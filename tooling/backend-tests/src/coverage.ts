import { describe, expect, it } from 'vitest';
import { allCases, CASES, DOCUMENTED_OPS, GRAD_CHECK_EXCLUSIONS, opsOf, SECOND_ORDER_CASES } from './cases/index.js';
import { OPTIONAL_KERNELS } from '@mapnn/core';
import { fastPathCompareCases } from './fast-path-compare.js';
import { exported } from './util.js';

/** Checks of the suite itself: every documented op is covered, excluded with a reason, and exported. */
export function coverageSuite(): void {
  describe('coverage of the suite', () => {
    const cases = allCases();
    const covered = new Set(cases.flatMap(opsOf));
    it('every golden case has a case-table entry and a unique name', () => {
      expect(cases.filter((c) => !CASES[c.op]).map((c) => `${c.name} (${c.op})`)).toEqual([]);
      const names = cases.map((c) => c.name);
      expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
    });
    it('every documented op with a PyTorch counterpart has a golden case', () => {
      const missing = Object.entries(DOCUMENTED_OPS).filter(([op, why]) => why === null && !covered.has(op)).map(([op]) => op);
      expect(missing).toEqual([]);
    });
    it('every differentiable op is gradient-checked or listed in GRAD_CHECK_EXCLUSIONS', () => {
      const withGrads = new Set(cases.filter((c) => c.grads && c.fd !== false).flatMap(opsOf));
      const unchecked = [...covered].filter((op) => !withGrads.has(op) && !(op in GRAD_CHECK_EXCLUSIONS));
      expect(unchecked).toEqual([]);
    });
    it('second-order cases exist', () => {
      expect(SECOND_ORDER_CASES.filter((n) => !cases.some((c) => c.name === n && c.grads))).toEqual([]);
    });
    it('every optional kernel has a fast-path-vs-composition case', () => {
      const compared = new Set(fastPathCompareCases().map((c) => c.kernel));
      expect(OPTIONAL_KERNELS.filter((k) => !compared.has(k))).toEqual([]);
    });
    it('@mapnn/core exports every documented op', () => {
      expect(Object.keys(DOCUMENTED_OPS).filter((op) => !exported(op))).toEqual([]);
    });
  });
}
