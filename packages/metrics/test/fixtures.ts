import { readFileSync } from 'node:fs';
import { expect } from 'vitest';

/** A fixture value: numbers (NaN/±Infinity decoded), arrays, records, or `{ error }` when scikit-learn raised. */
export type Golden = any; // eslint-disable-line @typescript-eslint/no-explicit-any

function decode(v: unknown): unknown {
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  if (Array.isArray(v)) return v.map(decode);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, decode(x)]));
  return v;
}

/** Loads packages/metrics/fixtures/<name>.json (written by scripts/gen_sklearn_fixtures.py). */
export function loadFixture(name: string): { datasets: Record<string, Golden>; cases: Golden[] } {
  const url = new URL(`../fixtures/${name}.json`, import.meta.url);
  const doc = JSON.parse(readFileSync(url, 'utf8')) as { datasets?: Record<string, Golden>; cases: Golden[] };
  return { datasets: (doc.datasets ?? {}) as Record<string, Golden>, cases: decode(doc.cases) as Golden[] };
}

/** True when scikit-learn raised for this case. */
export function isError(expected: Golden): boolean {
  return expected !== null && typeof expected === 'object' && !Array.isArray(expected) && 'error' in expected;
}

/** Compares numbers (|a − e| ≤ tol·max(1, |e|)), NaN and infinities, arrays and records, recursively. */
export function expectClose(actual: unknown, expected: unknown, tol = 1e-9, path = ''): void {
  if (typeof expected === 'number') {
    expect(typeof actual, `${path}: type`).toBe('number');
    const a = actual as number;
    if (Number.isNaN(expected)) expect(Number.isNaN(a), `${path}: expected NaN, got ${a}`).toBe(true);
    else if (!Number.isFinite(expected)) expect(a, path).toBe(expected);
    else expect(Math.abs(a - expected) <= tol * Math.max(1, Math.abs(expected)), `${path}: ${a} vs ${expected}`).toBe(true);
    return;
  }
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual), `${path}: expected an array, got ${JSON.stringify(actual)}`).toBe(true);
    expect((actual as unknown[]).length, `${path}: length`).toBe(expected.length);
    expected.forEach((e, i) => expectClose((actual as unknown[])[i], e, tol, `${path}[${i}]`));
    return;
  }
  if (expected && typeof expected === 'object') {
    expect(actual && typeof actual === 'object', `${path}: expected an object`).toBeTruthy();
    expect(Object.keys(actual as object), `${path}: keys`).toEqual(Object.keys(expected));
    for (const [k, e] of Object.entries(expected)) expectClose((actual as Record<string, unknown>)[k], e, tol, `${path}.${k}`);
    return;
  }
  expect(actual, path).toEqual(expected);
}

/** Runs `fn` and checks it matches scikit-learn's value, or throws where scikit-learn raised. */
export function expectGolden(fn: () => unknown, expected: Golden, what: string, tol = 1e-9): void {
  if (isError(expected)) {
    expect(fn, `${what}: scikit-learn raised ${expected.error}`).toThrow();
    return;
  }
  expectClose(fn(), expected, tol, what);
}
