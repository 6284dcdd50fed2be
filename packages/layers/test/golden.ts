// Helpers for the PyTorch golden tests (test-only).
import { readFileSync } from 'node:fs';
import { tensor, type DType, type Tensor } from '@mapnn/core';

export interface Encoded {
  shape: number[];
  dtype: DType;
  data: number[];
}

/** Reads a JSON fixture from packages/layers/fixtures. */
export function readFixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')) as T;
}

export function decode(e: Encoded): Tensor {
  return tensor(e.data, e.shape, e.dtype);
}

/**
 * Throws unless `actual` matches `expected` elementwise within `rtol` relative error, with an
 * absolute floor of `atolScale`·max(1, max|expected|) for values near zero.
 */
export function assertClose(actual: Tensor, expected: Encoded, what: string, rtol = 1e-5, atolScale = 1e-6): void {
  if (actual.shape.length !== expected.shape.length || actual.shape.some((d, i) => d !== expected.shape[i])) {
    throw new Error(`${what}: shape [${actual.shape.join(', ')}], expected [${expected.shape.join(', ')}]`);
  }
  const a = actual.dataSync();
  const e = expected.data.map((v) => (expected.dtype === 'float32' ? Math.fround(v) : v));
  const maxAbs = e.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const atol = atolScale * Math.max(1, maxAbs);
  let worst = -1;
  let worstErr = 0;
  for (let i = 0; i < e.length; i++) {
    const err = Math.abs(a[i]! - e[i]!);
    if (!(err <= rtol * Math.abs(e[i]!) + atol) && (worst < 0 || err > worstErr || Number.isNaN(err))) {
      worst = i;
      worstErr = err;
    }
  }
  if (worst >= 0) {
    throw new Error(`${what}: element ${worst} is ${a[worst]}, expected ${e[worst]} (|diff| ${worstErr}, rtol ${rtol})`);
  }
}
