import { getDefaultGenerator, type Generator } from '@mapnn/core';
import type { MultiDiscreteSpace } from '../types.js';

/**
 * Independent discrete choices, element i in `0 … nvec[i] − 1` (Gymnasium's `MultiDiscrete`,
 * one-dimensional `nvec`).
 *
 * @example
 * const s = new MultiDiscrete([3, 2]);
 * s.contains(Int32Array.of(2, 1)); // true
 * s.toString(); // 'MultiDiscrete([3 2])'
 */
export class MultiDiscrete implements MultiDiscreteSpace {
  readonly kind = 'multi-discrete' as const;
  readonly dtype = 'int64' as const;
  readonly nvec: Int32Array;
  readonly shape: readonly number[];

  constructor(nvec: ArrayLike<number>) {
    if (nvec.length === 0) throw new Error('MultiDiscrete: nvec must not be empty');
    for (let i = 0; i < nvec.length; i++) {
      const n = nvec[i]!;
      if (!(Number.isInteger(n) && n > 0)) throw new Error(`MultiDiscrete: nvec[${i}] must be a positive integer, got ${n}`);
    }
    this.nvec = Int32Array.from(nvec);
    this.shape = [this.nvec.length];
  }

  /** Whether `x` is an array of `nvec.length` integers with `0 ≤ x[i] < nvec[i]`. */
  contains(x: unknown): boolean {
    if (x === null || typeof x !== 'object' || (x as ArrayLike<unknown>).length !== this.nvec.length) return false;
    const a = x as ArrayLike<unknown>;
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= this.nvec[i]!) return false;
    }
    return true;
  }

  /** One uniform draw per element. */
  sample(generator?: Generator): Int32Array {
    const g = (generator ?? getDefaultGenerator());
    return this.nvec.map((n) => g.nextBelow(n));
  }

  /** `MultiDiscrete([3 2])`, as Gymnasium. */
  toString(): string {
    return `MultiDiscrete([${Array.from(this.nvec).join(' ')}])`;
  }
}
