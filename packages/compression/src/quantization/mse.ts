import { checkFinite } from './check-finite.js';
import { Histogram } from './histogram.js';
import type { Observer } from './observer.js';
import { computeQParams, dequantizeValue, quantizeValue, type QuantDType } from './qparams.js';

/**
 * The clipping range with the least quantization error: of the ranges [min, max]·k/steps
 * (k = 1…steps, default 100), the one whose quantize → dequantize round trip of the observed
 * values (histogram bin centres weighted by their counts) has the smallest mean squared error
 * (the norm minimisation of PyTorch's HistogramObserver, as a grid search).
 */
export class MseObserver implements Observer {
  private readonly hist: Histogram;

  constructor(readonly dtype: QuantDType, bins = 2048, readonly steps = 100) {
    if (!(Number.isInteger(steps) && steps >= 1)) throw new RangeError(`MseObserver: steps must be a positive integer, got ${steps}`);
    this.hist = new Histogram(bins);
  }

  observe(values: ArrayLike<number>): void {
    checkFinite(values, 'MseObserver');
    this.hist.add(values);
  }

  /** Mean squared quantization error of the observed values with the range [lo, hi]. */
  errorOf(lo: number, hi: number): number {
    const h = this.hist;
    const q = computeQParams(lo, hi, { dtype: this.dtype });
    let err = 0;
    for (let i = 0; i < h.bins; i++) {
      const n = h.counts[i]!;
      if (!n) continue;
      const c = h.center(i);
      const d = c - dequantizeValue(quantizeValue(c, q), q);
      err += n * d * d;
    }
    return err / h.total;
  }

  range(): [number, number] {
    const h = this.hist;
    if (!h.total) throw new Error('MseObserver: no calibration values were observed (empty calibration data)');
    if (h.absMax === 0) return [h.min, h.max];
    let best: [number, number] = [h.min, h.max];
    let bestErr = Infinity;
    for (let k = 1; k <= this.steps; k++) {
      const r: [number, number] = [(h.min * k) / this.steps, (h.max * k) / this.steps];
      const e = this.errorOf(r[0], r[1]);
      if (e < bestErr) [best, bestErr] = [r, e];
    }
    return best;
  }
}
