import { Generator, getDefaultGenerator } from '@mapnn/core';

/** How a function that draws random numbers gets them: a `seed` or a core `Generator`. */
export interface RandomSource {
  /** Seed of a fresh `Generator` (ignored when `generator` is given). */
  seed?: number;
  /** The generator to draw from; default: a new one from `seed`, else core's global generator. */
  generator?: Generator;
}

/**
 * The generator a function should draw from: `generator`, else `new Generator(seed)`, else the
 * global default generator (so `manualSeed` makes results reproducible).
 *
 * @example resolveRandom({ seed: 1 }).nextFloat() === resolveRandom({ seed: 1 }).nextFloat() // true
 */
export function resolveRandom(source: RandomSource = {}): Generator {
  if (source.generator) return source.generator;
  if (source.seed !== undefined) return new Generator(source.seed);
  return getDefaultGenerator();
}

/**
 * A uniformly random permutation of `0 … n-1` (Fisher–Yates, unbiased through `nextBelow`).
 *
 * @example permutation(5, new Generator(0)) // e.g. Int32Array [3, 0, 4, 1, 2]
 */
export function permutation(n: number, g: Generator): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  shuffleInPlace(out, g);
  return out;
}

/** Shuffles `a` in place (Fisher–Yates) and returns it. */
export function shuffleInPlace<T extends { length: number; [i: number]: number }>(a: T, g: Generator): T {
  for (let i = a.length - 1; i > 0; i--) {
    const j = g.nextBelow(i + 1);
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
  return a;
}

/** A double uniform in `[low, high)`. */
export function uniformBetween(g: Generator, low: number, high: number): number {
  return low + (high - low) * g.nextFloat();
}

/**
 * A Gamma(shape, 1) deviate by Marsaglia & Tsang (2000); shapes below 1 use the boost
 * `Gamma(a) = Gamma(a + 1) · U^(1/a)`.
 */
export function sampleGamma(shape: number, g: Generator): number {
  if (!(shape > 0)) throw new Error(`sampleGamma: shape must be > 0, got ${shape}`);
  if (shape < 1) {
    const u = 1 - g.nextFloat(); // (0, 1]
    return sampleGamma(shape + 1, g) * Math.pow(u, 1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = g.nextNormal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = g.nextFloat();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/**
 * A Beta(a, b) deviate in [0, 1] as `X / (X + Y)` with `X ~ Gamma(a)`, `Y ~ Gamma(b)`.
 *
 * @example sampleBeta(0.4, 0.4, new Generator(0)) // a value in [0, 1], often near 0 or 1
 */
export function sampleBeta(a: number, b: number, g: Generator): number {
  const x = sampleGamma(a, g);
  const y = sampleGamma(b, g);
  return x + y === 0 ? 0.5 : x / (x + y);
}
