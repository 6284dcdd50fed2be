import { Histogram } from './histogram.js';
import { checkFinite } from './check-finite.js';
import type { Observer } from './observer.js';

/**
 * Clips the tails: the range between the (100 − p)/2 and 100 − (100 − p)/2 percentiles of the
 * values (ORT's Percentile calibration, default p = 99.999), read from a 2048-bin histogram
 * (bin edges, as ORT), and never wider than the values' min and max.
 */
export class PercentileObserver implements Observer {
  private readonly hist: Histogram;

  constructor(readonly percentile = 99.999, bins = 2048) {
    if (!(percentile > 0 && percentile <= 100)) throw new RangeError(`PercentileObserver: percentile must be in (0, 100], got ${percentile}`);
    this.hist = new Histogram(bins);
  }

  observe(values: ArrayLike<number>): void {
    checkFinite(values, 'PercentileObserver');
    this.hist.add(values);
  }

  range(): [number, number] {
    const h = this.hist;
    if (!h.total) throw new Error('PercentileObserver: no calibration values were observed (empty calibration data)');
    if (h.absMax === 0) return [h.min, h.max];
    const tail = ((100 - this.percentile) / 200) * h.total;
    let acc = 0;
    let left = 0;
    while (left < h.bins - 1 && acc + h.counts[left]! <= tail) acc += h.counts[left++]!;
    acc = 0;
    let right = h.bins - 1;
    while (right > 0 && acc + h.counts[right]! <= tail) acc += h.counts[right--]!;
    return [Math.max(h.min, h.edge(left)), Math.min(h.max, h.edge(right + 1))];
  }
}
