import { getDefaultGenerator, type Generator } from '@mapnn/core';
import type { BoxSpace, SpaceDType } from '../types.js';

/**
 * A box of reals `low ≤ x ≤ high` per element (Gymnasium's `Box`); bounds are scalars or one
 * per element, `±Infinity` where unbounded.
 *
 * @example new Box(-2, 2, [1]).toString() // 'Box(-2.0, 2.0, (1,), float32)'
 */
export class Box implements BoxSpace {
  readonly kind = 'box' as const;
  readonly low: Float32Array | Float64Array;
  readonly high: Float32Array | Float64Array;
  readonly shape: readonly number[];

  constructor(low: number | ArrayLike<number>, high: number | ArrayLike<number>, shape?: readonly number[], readonly dtype: SpaceDType = 'float32') {
    const size = shape ? shape.reduce((a, b) => a * b, 1) : typeof low === 'number' ? (typeof high === 'number' ? 1 : high.length) : low.length;
    this.shape = shape ?? [size];
    const make = (v: number | ArrayLike<number>) => {
      const arr = dtype === 'float64' ? new Float64Array(size) : new Float32Array(size);
      if (typeof v === 'number') arr.fill(v);
      else if (v.length !== size) throw new Error(`Box: bounds of ${v.length} values for shape (${this.shape.join(', ')})`);
      else arr.set(v);
      return arr;
    };
    this.low = make(low);
    this.high = make(high);
    for (let i = 0; i < size; i++) if (!(this.low[i]! <= this.high[i]!)) throw new Error(`Box: low ${this.low[i]} > high ${this.high[i]} at element ${i}`);
  }

  contains(x: unknown): boolean {
    const v = typeof x === 'number' ? [x] : x;
    if (!v || typeof (v as ArrayLike<number>).length !== 'number' || (v as ArrayLike<number>).length !== this.low.length) return false;
    const a = v as ArrayLike<number>;
    for (let i = 0; i < a.length; i++) if (!(a[i]! >= this.low[i]! && a[i]! <= this.high[i]!)) return false;
    return true;
  }

  /** Uniform on bounded elements, normal / shifted exponential on (half-)unbounded ones, as Gymnasium. */
  sample(generator?: Generator): Float32Array | Float64Array {
    const g = (generator ?? getDefaultGenerator());
    const out = this.dtype === 'float64' ? new Float64Array(this.low.length) : new Float32Array(this.low.length);
    for (let i = 0; i < out.length; i++) {
      const lo = this.low[i]!;
      const hi = this.high[i]!;
      if (Number.isFinite(lo) && Number.isFinite(hi)) out[i] = lo + g.nextFloat() * (hi - lo);
      else if (Number.isFinite(lo)) out[i] = lo - Math.log(1 - g.nextFloat());
      else if (Number.isFinite(hi)) out[i] = hi + Math.log(1 - g.nextFloat());
      else out[i] = g.nextNormal();
    }
    return out;
  }

  toString(): string {
    const same = (a: ArrayLike<number>) => Array.from(a).every((v) => v === a[0]);
    const fmt = (a: ArrayLike<number>) => (same(a) ? fmtNumber(a[0]!) : `[${Array.from(a, fmtNumber).join(' ')}]`);
    return `Box(${fmt(this.low)}, ${fmt(this.high)}, (${this.shape.join(', ')}${this.shape.length === 1 ? ',' : ''}), ${this.dtype})`;
  }
}

function fmtNumber(v: number): string {
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  return Number.isInteger(v) ? v.toFixed(1) : String(v);
}
