// The seeded pseudo-random generators of the tests and benches, defined once. Tests import them
// as '@mapnn/config/random' (any floor may, see shared/design/packages.md); the conformance
// suite re-exports them. Failures reproduce because every run draws the same numbers.

/**
 * mulberry32: a small, fast 32-bit generator; each call returns the next number in [0, 1).
 * @param {number} seed
 * @returns {() => number}
 */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * xorshift32 (Marsaglia), the seed scrambled by Knuth's multiplier: each call returns the next
 * state, an integer in [1, 2³²).
 * @param {number} seed
 * @returns {() => number}
 */
export function xorshift32(seed) {
  let s = (seed * 2654435761) >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}
