/**
 * Seeded pseudo-random numbers for mapnn.
 *
 * `Generator` is **xoshiro128\*\*** (Blackman & Vigna, 2018): a 128-bit-state, 32-bit-output
 * generator with period 2^128 − 1 that passes BigCrush, computed with `Math.imul` so it is fast
 * and bit-exact on every JavaScript engine. Its state is filled from the seed by **splitmix32**
 * (a 32-bit variant of Steele, Lea & Flood's SplitMix mixer), so similar seeds give unrelated
 * streams and the all-zero state cannot occur.
 *
 * - `nextUint32()`: the raw 32-bit output.
 * - `nextFloat()`: a double in [0, 1) with 53 random bits (two outputs).
 * - `nextFloat32()`: a float in [0, 1) with 24 random bits (one output), exact in float32, so
 *   rounding to float32 can never produce 1.
 * - `nextNormal()`: a standard normal deviate by the Box–Muller transform (the second value
 *   of each pair is cached and returned by the next call).
 *
 * Same seed ⇒ same sequence, on every platform. The global default generator (used by every
 * random op without an explicit `generator`) starts from a fixed seed, as PyTorch's does, and
 * is reseeded with `manualSeed(seed)`.
 */

/** The fixed seed of the default generator at start-up (PyTorch's default seed). */
export const DEFAULT_SEED = 67280421310721;

/** One splitmix32 step: returns the next state and a well-mixed 32-bit output. */
function splitmix32(state: number): [number, number] {
  const s = (state + 0x9e3779b9) | 0;
  let z = s;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  z ^= z >>> 15;
  return [s, z >>> 0];
}

const TWO32 = 4294967296;

/** The complete state of a generator (`getState`/`setState`). */
export interface GeneratorState {
  s: [number, number, number, number];
  spare: number | null;
  seed: number;
}

export class Generator {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spare: number | null = null;
  private seedValue = 0;

  /**
   * @param seed a non-negative integer up to 2^53 − 1 (larger or fractional values are
   * reduced to such an integer); the default is `DEFAULT_SEED`.
   */
  constructor(seed: number = DEFAULT_SEED) {
    this.manualSeed(seed);
  }

  /** Reseeds this generator (same seed ⇒ same sequence). Returns `this`. */
  manualSeed(seed: number): this {
    if (typeof seed !== 'number' || !Number.isFinite(seed)) throw new Error(`Generator: seed must be a finite number, got ${seed}`);
    const n = Math.floor(Math.abs(seed)) % 2 ** 53;
    this.seedValue = n;
    const lo = n % TWO32 >>> 0;
    const hi = Math.floor(n / TWO32) >>> 0;
    // Mix both halves of the seed into the splitmix state, then draw the four state words.
    let st = lo ^ Math.imul(hi, 0x85ebca6b);
    st = splitmix32(st ^ hi)[1] | 0;
    const words: number[] = [];
    for (let i = 0; i < 4; i++) {
      const [next, out] = splitmix32(st);
      st = next;
      words.push(out | 0);
    }
    [this.s0, this.s1, this.s2, this.s3] = words as [number, number, number, number];
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1; // never the all-zero state
    this.spare = null;
    return this;
  }

  /** The seed this generator was last seeded with (PyTorch's `initial_seed`). */
  initialSeed(): number {
    return this.seedValue;
  }

  /** The next raw 32-bit output as an unsigned integer in [0, 2^32). */
  nextUint32(): number {
    const s1 = this.s1;
    const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return r >>> 0;
  }

  /** A double uniform in [0, 1) with 53 random bits. */
  nextFloat(): number {
    const a = this.nextUint32() >>> 5; // 27 bits
    const b = this.nextUint32() >>> 6; // 26 bits
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** A float uniform in [0, 1) with 24 random bits (exactly representable in float32). */
  nextFloat32(): number {
    return (this.nextUint32() >>> 8) / 16777216;
  }

  /** A standard normal deviate (Box–Muller; pairs are generated and the second is cached). */
  nextNormal(): number {
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return v;
    }
    const u1 = 1 - this.nextFloat(); // (0, 1]: log is finite
    const u2 = this.nextFloat();
    const r = Math.sqrt(-2 * Math.log(u1));
    const th = 2 * Math.PI * u2;
    this.spare = r * Math.sin(th);
    return r * Math.cos(th);
  }

  /**
   * An integer uniform in [0, n) without modulo bias (rejection sampling); n ≤ 2^53.
   */
  nextBelow(n: number): number {
    if (!(n >= 1) || !Number.isInteger(n)) throw new Error(`Generator.nextBelow: n must be a positive integer, got ${n}`);
    if (n <= TWO32) {
      const limit = TWO32 - (TWO32 % n); // accept [0, limit): a multiple of n
      for (;;) {
        const v = this.nextUint32();
        if (v < limit) return v % n;
      }
    }
    // large ranges: 53 random bits, rejected above the largest multiple of n
    const TWO53 = 9007199254740992;
    const limit = TWO53 - (TWO53 % n);
    for (;;) {
      const v = this.nextFloat() * TWO53;
      if (v < limit) return v % n;
    }
  }

  /** A copy of the complete state (restore it with `setState`). */
  getState(): GeneratorState {
    return { s: [this.s0, this.s1, this.s2, this.s3], spare: this.spare, seed: this.seedValue };
  }

  /** Restores a state from `getState`. Returns `this`. */
  setState(state: GeneratorState): this {
    [this.s0, this.s1, this.s2, this.s3] = state.s.map((v) => v | 0) as [number, number, number, number];
    this.spare = state.spare;
    this.seedValue = state.seed;
    return this;
  }

  /** An independent generator with the same state. */
  clone(): Generator {
    return new Generator(0).setState(this.getState());
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

let defaultGen = new Generator(DEFAULT_SEED);

/** The global generator used by random ops without an explicit `generator`. */
export function getDefaultGenerator(): Generator {
  return defaultGen;
}

/** Replaces the global default generator (e.g. to share one across modules). */
export function setDefaultGenerator(g: Generator): void {
  defaultGen = g;
}

/**
 * Seeds the global default generator (PyTorch's `torch.manual_seed`). Returns it.
 *
 * @example manualSeed(0); const a = rand([3]); manualSeed(0); rand([3]) // same values as a
 */
export function manualSeed(seed: number): Generator {
  return defaultGen.manualSeed(seed);
}

/** The given generator or the global default. */
export function resolveGenerator(g?: Generator): Generator {
  return g ?? defaultGen;
}
