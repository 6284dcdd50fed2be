import * as core from '@mapnn/core';
import type { DType, Tensor } from '@mapnn/core';
import type { TensorSpec } from './types.js';
import { mulberry32 } from '@mapnn/config/random';

type AnyFn = (...args: unknown[]) => unknown;

/**
 * Calls the public op `name` of @mapnn/core. Looked up by name so that the suite compiles and
 * reports a clear failure while an op is not (yet) exported.
 */
export function call<T = Tensor>(name: string, ...args: unknown[]): T {
  const f = (core as unknown as Record<string, unknown>)[name];
  if (typeof f !== 'function') throw new Error(`@mapnn/core does not export the op '${name}'`);
  return (f as AnyFn)(...args) as T;
}

/** Whether @mapnn/core exports `name`. */
export function exported(name: string): boolean {
  return typeof (core as unknown as Record<string, unknown>)[name] === 'function';
}

/** Drops undefined entries (so that an op's own defaults apply). */
export function defined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** A tensor from a fixture spec; float inputs may be converted to `floatDType`. */
export function fromSpec(s: TensorSpec, floatDType: DType = 'float32'): Tensor {
  if (s.dtype === 'float32') {
    const arr = floatDType === 'float64' ? Float64Array.from(s.data) : Float32Array.from(s.data);
    return core.tensor(arr, s.shape, floatDType);
  }
  return core.tensor(s.data, s.shape, s.dtype);
}

export function asList<T>(x: T | T[]): T[] {
  return Array.isArray(x) ? x : [x];
}

export async function read(t: Tensor): Promise<number[]> {
  return Array.from(await t.data(), Number);
}

export interface Tol {
  rtol: number;
  atol: number;
}

/**
 * Compares a tensor with an expected spec: shape, dtype (when `checkDType`) and values
 * (floats within `atol + rtol·|expected|`, integers and bools exactly). Returns an error
 * message, or null when they agree.
 */
export async function compare(actual: Tensor, expected: TensorSpec, tol: Tol, what: string, checkDType = true): Promise<string | null> {
  const shapeOk = actual.shape.length === expected.shape.length && actual.shape.every((d, i) => d === expected.shape[i]);
  if (!shapeOk) return `${what}: shape [${actual.shape.join(',')}], expected [${expected.shape.join(',')}]`;
  if (checkDType && actual.dtype !== expected.dtype) return `${what}: dtype ${actual.dtype}, expected ${expected.dtype}`;
  return compareValues(await read(actual), expected.data, expected.dtype === 'float32' ? tol : { rtol: 0, atol: 0 }, what);
}

export function compareValues(got: ArrayLike<number>, want: ArrayLike<number>, tol: Tol, what: string): string | null {
  if (got.length !== want.length) return `${what}: ${got.length} values, expected ${want.length}`;
  const bad: string[] = [];
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    const err = Math.abs(g - w);
    const ok = err <= tol.atol + tol.rtol * Math.abs(w) || (Number.isNaN(g) && Number.isNaN(w)) || g === w;
    if (!ok) {
      worst = Math.max(worst, Number.isNaN(err) ? Infinity : err);
      if (bad.length < 6) bad.push(`[${i}] got ${g}, expected ${w}`);
    }
  }
  if (!bad.length) return null;
  return `${what}: ${bad.length >= 6 ? 'many' : bad.length} value(s) differ (max abs error ${worst.toExponential(2)}): ${bad.join('; ')}`;
}

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32, shared by all tests). */
export const prng = mulberry32;
