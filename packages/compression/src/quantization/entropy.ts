import { checkFinite } from './check-finite.js';
import { Histogram } from './histogram.js';
import type { Observer } from './observer.js';

/**
 * Replaces zeros of a distribution by `eps` and takes the same mass from the non-zero entries
 * (ORT's `smooth_distribution`), so that KL(p‖q) is finite. Null when all entries are zero.
 */
export function smoothDistribution(p: Float64Array, eps = 1e-4): Float64Array | null {
  let zeros = 0;
  for (const v of p) if (v === 0) zeros++;
  const nonZeros = p.length - zeros;
  if (!nonZeros) return null;
  const eps1 = (eps * zeros) / nonZeros;
  return p.map((v) => (v === 0 ? eps : v - eps1));
}

/** KL divergence Σ p log(p / q) of the two distributions after normalising each to sum 1 (scipy's `entropy`). */
export function klDivergence(p: Float64Array, q: Float64Array): number {
  const sp = p.reduce((s, v) => s + v, 0);
  const sq = q.reduce((s, v) => s + v, 0);
  let kl = 0;
  for (let i = 0; i < p.length; i++) {
    const a = p[i]! / sp;
    if (a > 0) kl += a * Math.log(a / (q[i]! / sq));
  }
  return kl;
}

/**
 * KL divergence between the reference slice `p` of a histogram (its clipped tails already
 * added to the end bins) and that slice quantized into `quantizedBins` levels, each level's
 * count spread evenly over its non-empty bins (TensorRT's entropy calibration).
 */
function klOfThreshold(slice: Float64Array, p: Float64Array, quantizedBins: number): number {
  const merged = Math.floor(slice.length / quantizedBins);
  const q = new Float64Array(slice.length);
  for (let j = 0; j < quantizedBins; j++) {
    const start = j * merged;
    const end = j === quantizedBins - 1 ? slice.length : start + merged;
    let sum = 0;
    let nonEmpty = 0;
    for (let k = start; k < end; k++) {
      sum += slice[k]!;
      if (p[k] !== 0) nonEmpty++;
    }
    if (nonEmpty) for (let k = start; k < end; k++) q[k] = p[k] === 0 ? 0 : sum / nonEmpty;
  }
  const ps = smoothDistribution(p);
  const qs = smoothDistribution(q);
  return ps && qs ? klDivergence(ps, qs) : Infinity;
}

/**
 * Entropy (KL) calibration, as TensorRT and ONNX Runtime's `calibrate.py` do it: a histogram
 * over [−absMax, absMax] (2048 bins); for every symmetric window of 2i + 1 bins around the zero
 * bin (i from quantizedBins/2 up), the window's distribution with the outside mass folded into
 * its end bins is compared with its `quantizedBins`-level (128) quantization; the window with
 * the least KL divergence gives the threshold t, and the range is [−t, t] cut to the values'
 * min and max (so a ReLU output keeps its whole int8 range for [0, t]).
 */
export class EntropyObserver implements Observer {
  private readonly hist: Histogram;

  constructor(bins = 2048, readonly quantizedBins = 128) {
    if (!(Number.isInteger(quantizedBins) && quantizedBins >= 2 && quantizedBins <= bins)) {
      throw new RangeError(`EntropyObserver: quantizedBins must be an integer in [2, bins = ${bins}], got ${quantizedBins}`);
    }
    this.hist = new Histogram(bins);
  }

  observe(values: ArrayLike<number>): void {
    checkFinite(values, 'EntropyObserver');
    this.hist.add(values);
  }

  /** The threshold t of the window with the least KL divergence. */
  threshold(): number {
    const h = this.hist;
    const zeroBin = h.bins >> 1;
    let bestI = zeroBin;
    let bestKl = Infinity;
    for (let i = this.quantizedBins >> 1; i <= zeroBin; i++) {
      const start = Math.max(0, zeroBin - i);
      const end = Math.min(h.bins, zeroBin + i + 1);
      const slice = h.counts.slice(start, end);
      const p = slice.slice();
      for (let k = 0; k < start; k++) p[0]! += h.counts[k]!;
      for (let k = end; k < h.bins; k++) p[p.length - 1]! += h.counts[k]!;
      const kl = klOfThreshold(slice, p, this.quantizedBins);
      if (kl < bestKl) [bestI, bestKl] = [i, kl];
    }
    return Math.min(h.absMax, h.edge(Math.min(h.bins, zeroBin + bestI + 1)));
  }

  range(): [number, number] {
    const h = this.hist;
    if (!h.total) throw new Error('EntropyObserver: no calibration values were observed (empty calibration data)');
    if (h.absMax === 0) return [h.min, h.max];
    const t = this.threshold();
    return [Math.max(h.min, -t), Math.min(h.max, t)];
  }
}
