import { checkFinite } from './check-finite.js';
import type { Observer } from './observer.js';

const emptyError = (name: string) => new Error(`${name}: no calibration values were observed (empty calibration data)`);

/** The smallest and largest value seen over all batches (`torch.ao.quantization.MinMaxObserver`, ORT's MinMax). */
export class MinMaxObserver implements Observer {
  private lo = Infinity;
  private hi = -Infinity;

  observe(values: ArrayLike<number>): void {
    checkFinite(values, 'MinMaxObserver');
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v < this.lo) this.lo = v;
      if (v > this.hi) this.hi = v;
    }
  }

  range(): [number, number] {
    if (this.lo > this.hi) throw emptyError('MinMaxObserver');
    return [this.lo, this.hi];
  }
}

/**
 * Exponential moving average of each batch's min and max (`MovingAverageMinMaxObserver`):
 * the first batch sets them, each later one moves them by `c · (batch − running)` (c = 0.01).
 */
export class MovingAverageMinMaxObserver implements Observer {
  private lo = NaN;
  private hi = NaN;

  constructor(readonly averagingConstant = 0.01) {
    if (!(averagingConstant > 0 && averagingConstant <= 1)) throw new RangeError(`MovingAverageMinMaxObserver: averagingConstant must be in (0, 1], got ${averagingConstant}`);
  }

  observe(values: ArrayLike<number>): void {
    checkFinite(values, 'MovingAverageMinMaxObserver');
    if (!values.length) return;
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    const c = this.averagingConstant;
    this.lo = Number.isNaN(this.lo) ? lo : this.lo + c * (lo - this.lo);
    this.hi = Number.isNaN(this.hi) ? hi : this.hi + c * (hi - this.hi);
  }

  range(): [number, number] {
    if (Number.isNaN(this.lo)) throw emptyError('MovingAverageMinMaxObserver');
    return [this.lo, this.hi];
  }
}
