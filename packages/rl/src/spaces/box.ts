import { getDefaultGenerator, type Generator } from '@mapnn/core';
import type { BoxSpace, SpaceDType } from '../types.js';
import { formatShape, shortRepr } from './format.js';

/**
 * A box `low ≤ x ≤ high` per element (Gymnasium's `Box`). Bounds are scalars (broadcast to
 * `shape`) or one value per element, `±Infinity` where unbounded; float32 boxes round their
 * bounds to float32 as Gymnasium does. Integer dtypes hold integers (in a Float64Array).
 *
 * @example
 * new Box(-2, 2, [1]).toString(); // 'Box(-2.0, 2.0, (1,), float32)'
 * new Box([-1, -2], [1, 2]).contains(Float32Array.of(0.5, -2)); // true
 */
export class Box implements BoxSpace {
  readonly kind = 'box' as const;
  readonly low: Float32Array | Float64Array;
  readonly high: Float32Array | Float64Array;
  readonly shape: readonly number[];

  constructor(low: number | ArrayLike<number>, high: number | ArrayLike<number>, shape?: readonly number[], readonly dtype: SpaceDType = 'float32') {
    this.shape = shape ?? [boundsLength(low, high)];
    const size = this.shape.reduce((a, b) => a * b, 1);
    this.low = fillBounds(low, size, dtype, 'low', this.shape);
    this.high = fillBounds(high, size, dtype, 'high', this.shape);
    for (let i = 0; i < size; i++) {
      if (!(this.low[i]! <= this.high[i]!)) throw new Error(`Box: low ${this.low[i]} > high ${this.high[i]} at element ${i}`);
    }
  }

  /** Whether `x` (a number for a one-element box, or an array) has the right length, is in bounds and integral for integer dtypes. */
  contains(x: unknown): boolean {
    const a = typeof x === 'number' ? [x] : x;
    if (!isArrayLike(a) || a.length !== this.low.length) return false;
    const integral = !this.dtype.startsWith('float');
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      if (typeof v !== 'number' || !(v >= this.low[i]! && v <= this.high[i]!)) return false;
      if (integral && !Number.isInteger(v)) return false;
    }
    return true;
  }

  /**
   * Gymnasium's sampling: uniform on bounded elements, `low + Exp(1)` / `high − Exp(1)` on
   * half-bounded ones, standard normal on unbounded ones; integer dtypes draw integers
   * uniformly in `[low, high]`.
   */
  sample(generator?: Generator): Float32Array | Float64Array {
    const g = (generator ?? getDefaultGenerator());
    const out = this.dtype === 'float32' ? new Float32Array(this.low.length) : new Float64Array(this.low.length);
    const integral = !this.dtype.startsWith('float');
    for (let i = 0; i < out.length; i++) out[i] = sampleElement(this.low[i]!, this.high[i]!, integral, g);
    return out;
  }

  /** Gymnasium's repr, e.g. `Box(-2.0, 2.0, (1,), float32)` or `Box([-1.0 -8.0], [1.0 8.0], (2,), float32)`. */
  toString(): string {
    return `Box(${shortRepr(this.low, this.dtype)}, ${shortRepr(this.high, this.dtype)}, ${formatShape(this.shape)}, ${this.dtype})`;
  }
}

function boundsLength(low: number | ArrayLike<number>, high: number | ArrayLike<number>): number {
  if (typeof low !== 'number') return low.length;
  if (typeof high !== 'number') return high.length;
  return 1;
}

function fillBounds(v: number | ArrayLike<number>, size: number, dtype: SpaceDType, name: string, shape: readonly number[]): Float32Array | Float64Array {
  const arr = dtype === 'float32' ? new Float32Array(size) : new Float64Array(size);
  if (typeof v === 'number') arr.fill(v);
  else if (v.length !== size) throw new Error(`Box: ${name} has ${v.length} values, shape ${formatShape(shape)} needs ${size}`);
  else arr.set(v);
  return arr;
}

function sampleElement(lo: number, hi: number, integral: boolean, g: Generator): number {
  const finiteLo = Number.isFinite(lo);
  const finiteHi = Number.isFinite(hi);
  if (integral && finiteLo && finiteHi) return lo + g.nextBelow(hi - lo + 1);
  let v: number;
  if (finiteLo && finiteHi) v = lo + g.nextFloat() * (hi - lo);
  else if (finiteLo) v = lo - Math.log(1 - g.nextFloat());
  else if (finiteHi) v = hi + Math.log(1 - g.nextFloat());
  else v = g.nextNormal();
  return integral ? Math.floor(v) : v;
}

function isArrayLike(x: unknown): x is ArrayLike<unknown> {
  return x !== null && typeof x === 'object' && typeof (x as ArrayLike<unknown>).length === 'number';
}
