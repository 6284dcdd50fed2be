import { getDefaultGenerator, type Generator } from '@mapnn/core';
import type { DiscreteSpace } from '../types.js';

/**
 * The integers `start … start + n − 1` (Gymnasium's `Discrete`).
 *
 * @example
 * new Discrete(2).contains(1); // true
 * new Discrete(3, -1).toString(); // 'Discrete(3, start=-1)'
 */
export class Discrete implements DiscreteSpace {
  readonly kind = 'discrete' as const;
  readonly shape: readonly number[] = [];
  readonly dtype = 'int64' as const;

  constructor(readonly n: number, readonly start = 0) {
    if (!(Number.isInteger(n) && n > 0)) throw new Error(`Discrete: n must be a positive integer, got ${n}`);
    if (!Number.isInteger(start)) throw new Error(`Discrete: start must be an integer, got ${start}`);
  }

  /** Whether `x` is an integer number in `start … start + n − 1`. */
  contains(x: unknown): boolean {
    return typeof x === 'number' && Number.isInteger(x) && x >= this.start && x < this.start + this.n;
  }

  /** A uniform draw from `start … start + n − 1`. */
  sample(generator?: Generator): number {
    return this.start + (generator ?? getDefaultGenerator()).nextBelow(this.n);
  }

  /** `Discrete(n)` or `Discrete(n, start=s)`, as Gymnasium. */
  toString(): string {
    return this.start === 0 ? `Discrete(${this.n})` : `Discrete(${this.n}, start=${this.start})`;
  }
}
