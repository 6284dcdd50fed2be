/** Loads the Gymnasium reference values of `scripts/gym_vector_fixtures.py` and compares with them. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

/** Parses `fixtures/<name>` of this package. */
export function loadVectorFixture<T>(name: string): T {
  return JSON.parse(readFileSync(fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url)), 'utf8')) as T;
}

/** Expects `actual` to equal `expected` element-wise within `rel` relative (plus `abs`) tolerance. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, rel = 1e-5, abs = 1e-7): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  for (let j = 0; j < expected.length; j++) {
    const tol = rel * Math.abs(expected[j]) + abs;
    if (!(Math.abs(actual[j] - expected[j]) <= tol)) {
      throw new Error(`${what}[${j}]: got ${actual[j]}, expected ${expected[j]} (±${tol.toExponential(2)})`);
    }
  }
}
