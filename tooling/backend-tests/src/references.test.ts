// The reference suite's own checks run without a backend (tooling/backend-tests `pnpm test`).
import { describe, expect, it } from 'vitest';
import { referenceOps, referencePoints } from './references.js';

describe('elementwise references', () => {
  it('are collected from the op files (softsign declares one in ops/softsign.ts)', () => {
    expect(referenceOps().map(([op]) => op)).toContain('softsign');
  });

  it('sample inside the domain, off its ends and off 0', () => {
    const xs = referencePoints([-5, 5]);
    expect(xs).toHaveLength(24);
    expect(Math.min(...xs)).toBeGreaterThan(-5);
    expect(Math.max(...xs)).toBeLessThan(5);
    expect(xs).not.toContain(0);
  });
});
