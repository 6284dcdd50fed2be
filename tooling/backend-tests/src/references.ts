import { describe, expect, it } from 'vitest';
import { dispose, elementwiseReferences, tensor, type ElementwiseReference, type Tensor } from '@mapnn/core';
import { gradCheck } from './gradcheck.js';
import type { ResolvedOptions } from './types.js';
import { call, compareValues, read } from './util.js';

/**
 * `n` evenly spaced points inside a reference's domain, each in the middle of its cell (so
 * neither the ends nor, on a symmetric domain, 0 — where ops such as softsign have a kink).
 */
export function referencePoints([low, high]: readonly [number, number], n = 24): number[] {
  return Array.from({ length: n }, (_, i) => low + ((i + 0.5) * (high - low)) / n);
}

/** The elementwise ops that declare a scalar reference in their op file, by name (sorted). */
export function referenceOps(): [string, ElementwiseReference][] {
  return Object.entries(elementwiseReferences()).sort(([a], [b]) => a.localeCompare(b));
}

async function checkForward(op: string, ref: ElementwiseReference, o: ResolvedOptions): Promise<void> {
  const xs = referencePoints(ref.domain).map(Math.fround);
  const x = tensor(xs, [xs.length], 'float32');
  let y: Tensor | undefined;
  try {
    y = call<Tensor>(op, x);
    expect(y.dtype, `${op}: dtype`).toBe('float32');
    const error = compareValues(await read(y), xs.map(ref.value), { rtol: o.rtol, atol: o.atol }, `${op} against its reference`);
    expect(error, error ?? '').toBeNull();
  } finally {
    dispose([x, y]);
  }
}

async function checkGradient(op: string, ref: ElementwiseReference, o: ResolvedOptions): Promise<void> {
  const x = tensor(referencePoints(ref.domain, 8), [8], o.float64 ? 'float64' : 'float32');
  try {
    const res = await gradCheck((t) => call(op, t), [x]);
    expect(res.ok, `${op}: ${res.message}`).toBe(true);
  } finally {
    x.dispose();
  }
}

/**
 * Every elementwise op with a scalar reference (its op file's `references`, collected by core's
 * generator): forward against the reference in float32, and the gradient by finite differences.
 * A new elementwise op is checked here without an edit to this suite.
 */
export function referenceSuite(o: ResolvedOptions): void {
  describe('elementwise ops against their scalar references', () => {
    for (const [op, ref] of referenceOps()) {
      it.skipIf(o.isExcluded('references', op))(`${op}: forward`, () => checkForward(op, ref, o));
      it.skipIf(o.isExcluded('references', op, 'gradcheck'))(`${op}: gradient (finite differences)`, () => checkGradient(op, ref, o));
    }
  });
}
