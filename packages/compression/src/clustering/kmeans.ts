import { Generator } from '@mapnn/core';

/** How the centroids start: evenly spaced over [min, max] (Deep Compression's choice) or k-means++. */
export type CentroidInit = 'linear' | 'kmeans++';

export interface KMeansOptions {
  /** Centroid initialization (default 'linear', which Han et al. 2016 found best). */
  init?: CentroidInit;
  /** Seed of the k-means++ draws (default 0). */
  seed?: number;
  /** Most Lloyd iterations (default 50); stops earlier when no assignment changes. */
  maxIterations?: number;
}

export interface KMeansResult {
  /** The centroids, ascending, as float32 values. */
  centroids: Float32Array;
  /** The centroid of each value, in the values' order. */
  assignments: Int32Array;
  /** Lloyd iterations run. */
  iterations: number;
}

/** k centroids evenly spaced over [min, max] of the (sorted) values; one centroid sits at their middle. */
export function linearInit(sorted: Float64Array, k: number): Float64Array {
  const lo = sorted[0]!;
  const hi = sorted[sorted.length - 1]!;
  if (k === 1) return Float64Array.of((lo + hi) / 2);
  return Float64Array.from({ length: k }, (_, j) => lo + ((hi - lo) * j) / (k - 1));
}

/** k-means++ (Arthur & Vassilvitskii 2007): each next centroid drawn with probability ∝ squared distance to the nearest chosen one. */
export function kmeansPlusPlusInit(values: Float64Array, k: number, seed: number): Float64Array {
  const g = new Generator(seed);
  const n = values.length;
  const chosen = [values[Math.min(n - 1, Math.floor(g.nextFloat() * n))]!];
  const d2 = Float64Array.from(values, (v) => (v - chosen[0]!) ** 2);
  while (chosen.length < k) {
    let total = 0;
    for (let i = 0; i < n; i++) total += d2[i]!;
    let pick = n - 1;
    if (total > 0) {
      let r = g.nextFloat() * total;
      for (let i = 0; i < n; i++) {
        r -= d2[i]!;
        if (r < 0) { pick = i; break; }
      }
    }
    const c = values[pick]!;
    chosen.push(c);
    for (let i = 0; i < n; i++) d2[i] = Math.min(d2[i]!, (values[i]! - c) ** 2);
  }
  return Float64Array.from(chosen).sort();
}

/** Index of the centroid (ascending) nearest to v; ties go to the lower centroid. */
export function nearestCentroid(centroids: ArrayLike<number>, v: number): number {
  let lo = 0;
  let hi = centroids.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    // boundary between mid and mid + 1 is their midpoint
    if (v > (centroids[mid]! + centroids[mid + 1]!) / 2) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * One-dimensional k-means (Lloyd's algorithm) of `values` into `k` clusters. A cluster that
 * loses all its members keeps its centroid. Deterministic for a given seed. The caller checks
 * `1 ≤ k ≤ values.length` and that the values are finite.
 */
export function kmeans1d(values: ArrayLike<number>, k: number, options: KMeansOptions = {}): KMeansResult {
  const sorted = Float64Array.from(values).sort();
  const init = options.init ?? 'linear';
  const c = init === 'linear' ? linearInit(sorted, k) : kmeansPlusPlusInit(Float64Array.from(values), k, options.seed ?? 0);
  const maxIterations = options.maxIterations ?? 50;
  const member = new Int32Array(sorted.length).fill(-1);
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    let changed = false;
    const sum = new Float64Array(k);
    const count = new Float64Array(k);
    for (let i = 0; i < sorted.length; i++) {
      const j = nearestCentroid(c, sorted[i]!);
      if (j !== member[i]) { member[i] = j; changed = true; }
      sum[j] += sorted[i]!;
      count[j]++;
    }
    if (!changed) break;
    for (let j = 0; j < k; j++) if (count[j]! > 0) c[j] = sum[j]! / count[j]!;
    c.sort();
  }
  const centroids = Float32Array.from(c);
  const assignments = Int32Array.from(values as ArrayLike<number>, (v) => nearestCentroid(centroids, v));
  return { centroids, assignments, iterations };
}
