// Per-op loops of the reduction kernels, one copy per storage family (see elementwise-loops.ts
// for why: V8 feedback is per function literal, and a loop that has seen many typed-array kinds
// is several times slower). The copies of an op are uniform: change them all together.
//
// The row loops of max/min/argmax/argmin select raw bits without branches, like maximum/minimum
// in elementwise-loops.ts: `a`/`acc` are values (compared), `aw`/`accW` their words (selected).
import type { TypedArray } from '@mapnn/core';
import type { Family } from './elementwise-loops.js';

type A = TypedArray;

export interface FoldLoops {
  /** `acc` folded with `a[off]…a[off + n - 1]`. */
  block(acc: number, a: A, off: number, n: number): number;
  /** `acc[i]` folded with `a[off + i]` for i < n. */
  rows(acc: Float64Array, a: A, off: number, n: number): void;
}

export interface SelectLoops {
  /** `acc` folded with `a[off]…a[off + n - 1]`. */
  block(acc: number, a: A, off: number, n: number): number;
  /** `acc[i]` folded with `a[off + i]` for i < n; `acc` has `a`'s storage, words `accW`. */
  rows(acc: A, accW: A, a: A, aw: A, off: number, n: number): void;
}

/** The identity each reduction starts from (also the result over an empty slice). */
export const REDUCE_INIT: Record<string, number> = { sum: 0, prod: 1, max: -Infinity, min: Infinity };

/** sum and prod fold in float64 (`acc`), whatever the storage. */
export const FOLD_LOOPS: Record<'sum' | 'prod', Record<Family, FoldLoops>> = {
  sum: {
    f32: {
      block: (acc, a, off, n) => {
        for (let i = off, e = off + n; i < e; i++) acc += a[i]!;
        return acc;
      },
      rows: (acc, a, off, n) => {
        for (let i = 0; i < n; i++) acc[i] += a[off + i]!;
      },
    },
    f64: {
      block: (acc, a, off, n) => {
        for (let i = off, e = off + n; i < e; i++) acc += a[i]!;
        return acc;
      },
      rows: (acc, a, off, n) => {
        for (let i = 0; i < n; i++) acc[i] += a[off + i]!;
      },
    },
    any: {
      block: (acc, a, off, n) => {
        for (let i = off, e = off + n; i < e; i++) acc += a[i]!;
        return acc;
      },
      rows: (acc, a, off, n) => {
        for (let i = 0; i < n; i++) acc[i] += a[off + i]!;
      },
    },
  },
  prod: {
    f32: {
      block: (acc, a, off, n) => {
        for (let i = off, e = off + n; i < e; i++) acc *= a[i]!;
        return acc;
      },
      rows: (acc, a, off, n) => {
        for (let i = 0; i < n; i++) acc[i] *= a[off + i]!;
      },
    },
    f64: {
      block: (acc, a, off, n) => {
        for (let i = off, e = off + n; i < e; i++) acc *= a[i]!;
        return acc;
      },
      rows: (acc, a, off, n) => {
        for (let i = 0; i < n; i++) acc[i] *= a[off + i]!;
      },
    },
    any: {
      block: (acc, a, off, n) => {
        for (let i = off, e = off + n; i < e; i++) acc *= a[i]!;
        return acc;
      },
      rows: (acc, a, off, n) => {
        for (let i = 0; i < n; i++) acc[i] *= a[off + i]!;
      },
    },
  },
};

// max/min: a NaN wins and then stays (nothing compares greater than it, and it is not replaced)
export const SELECT_REDUCE_LOOPS: Record<'max' | 'min', Record<Family, SelectLoops>> = {
  max: {
    f32: {
      block: (acc, a, off, n) => {
        for (let i = off, e = off + n; i < e; i++) {
          const v = a[i]!;
          if (v > acc || v !== v) acc = v;
        }
        return acc;
      },
      rows: (acc, accW, a, aw, off, n) => {
        for (let i = 0; i < n; i++) {
          const v = a[off + i]!;
          const m = -(+(v > acc[i]!) | +(v !== v));
          accW[i] = (aw[off + i]! & m) | (accW[i]! & ~m);
        }
      },
    },
    f64: {
      block: (acc, a, off, n) => {
        for (let i = off, e = off + n; i < e; i++) {
          const v = a[i]!;
          if (v > acc || v !== v) acc = v;
        }
        return acc;
      },
      rows: (acc, accW, a, aw, off, n) => {
        for (let i = 0; i < n; i++) {
          const v = a[off + i]!;
          const m = -(+(v > acc[i]!) | +(v !== v));
          const wa = 2 * (off + i), wc = 2 * i;
          accW[wc] = (aw[wa]! & m) | (accW[wc]! & ~m);
          accW[wc + 1] = (aw[wa + 1]! & m) | (accW[wc + 1]! & ~m);
        }
      },
    },
    any: {
      block: (acc, a, off, n) => {
        for (let i = off, e = off + n; i < e; i++) {
          const v = a[i]!;
          if (v > acc || v !== v) acc = v;
        }
        return acc;
      },
      rows: (acc, _accW, a, _aw, off, n) => {
        for (let i = 0; i < n; i++) {
          const v = a[off + i]!, s = acc[i]!;
          const m = -(v > s);
          acc[i] = (v & m) | (s & ~m);
        }
      },
    },
  },
  min: {
    f32: {
      block: (acc, a, off, n) => {
        for (let i = off, e = off + n; i < e; i++) {
          const v = a[i]!;
          if (v < acc || v !== v) acc = v;
        }
        return acc;
      },
      rows: (acc, accW, a, aw, off, n) => {
        for (let i = 0; i < n; i++) {
          const v = a[off + i]!;
          const m = -(+(v < acc[i]!) | +(v !== v));
          accW[i] = (aw[off + i]! & m) | (accW[i]! & ~m);
        }
      },
    },
    f64: {
      block: (acc, a, off, n) => {
        for (let i = off, e = off + n; i < e; i++) {
          const v = a[i]!;
          if (v < acc || v !== v) acc = v;
        }
        return acc;
      },
      rows: (acc, accW, a, aw, off, n) => {
        for (let i = 0; i < n; i++) {
          const v = a[off + i]!;
          const m = -(+(v < acc[i]!) | +(v !== v));
          const wa = 2 * (off + i), wc = 2 * i;
          accW[wc] = (aw[wa]! & m) | (accW[wc]! & ~m);
          accW[wc + 1] = (aw[wa + 1]! & m) | (accW[wc + 1]! & ~m);
        }
      },
    },
    any: {
      block: (acc, a, off, n) => {
        for (let i = off, e = off + n; i < e; i++) {
          const v = a[i]!;
          if (v < acc || v !== v) acc = v;
        }
        return acc;
      },
      rows: (acc, _accW, a, _aw, off, n) => {
        for (let i = 0; i < n; i++) {
          const v = a[off + i]!, s = acc[i]!;
          const m = -(v < s);
          acc[i] = (v & m) | (s & ~m);
        }
      },
    },
  },
};

export interface ArgLoops {
  /** The index of the best of `a[off]…a[off + m - 1]` (m ≥ 1). */
  block(a: A, off: number, m: number): number;
  /**
   * Folds row `j` (`a[ao]…a[ao + n - 1]`) into the running bests `best` (`a`'s storage, words
   * `bestW`) and their indices `out[oo…]`.
   */
  rows(best: A, bestW: A, out: A, oo: number, a: A, aw: A, ao: number, j: number, n: number): void;
}

// First index on ties; the first NaN wins, as in PyTorch. In the row loops `t` is 1 where row j
// wins; the index is updated as `old + t·(j − old)`, exact for these small integers.
export const ARG_LOOPS: Record<'argmax' | 'argmin', Record<Family, ArgLoops>> = {
  argmax: {
    f32: {
      block: (a, off, m) => {
        let best = a[off]!;
        let bi = 0;
        for (let j = 1; j < m && best === best; j++) {
          const v = a[off + j]!;
          if (v > best || v !== v) {
            best = v;
            bi = j;
          }
        }
        return bi;
      },
      rows: (best, bestW, out, oo, a, aw, ao, j, n) => {
        for (let i = 0; i < n; i++) {
          const b = best[i]!, v = a[ao + i]!;
          const t = +(b === b) & (+(v > b) | +(v !== v));
          const m = -t;
          bestW[i] = (aw[ao + i]! & m) | (bestW[i]! & ~m);
          const old = out[oo + i]!;
          out[oo + i] = old + t * (j - old);
        }
      },
    },
    f64: {
      block: (a, off, m) => {
        let best = a[off]!;
        let bi = 0;
        for (let j = 1; j < m && best === best; j++) {
          const v = a[off + j]!;
          if (v > best || v !== v) {
            best = v;
            bi = j;
          }
        }
        return bi;
      },
      rows: (best, bestW, out, oo, a, aw, ao, j, n) => {
        for (let i = 0; i < n; i++) {
          const b = best[i]!, v = a[ao + i]!;
          const t = +(b === b) & (+(v > b) | +(v !== v));
          const m = -t;
          const wa = 2 * (ao + i), wb = 2 * i;
          bestW[wb] = (aw[wa]! & m) | (bestW[wb]! & ~m);
          bestW[wb + 1] = (aw[wa + 1]! & m) | (bestW[wb + 1]! & ~m);
          const old = out[oo + i]!;
          out[oo + i] = old + t * (j - old);
        }
      },
    },
    any: {
      block: (a, off, m) => {
        let best = a[off]!;
        let bi = 0;
        for (let j = 1; j < m && best === best; j++) {
          const v = a[off + j]!;
          if (v > best || v !== v) {
            best = v;
            bi = j;
          }
        }
        return bi;
      },
      rows: (best, _bestW, out, oo, a, _aw, ao, j, n) => {
        for (let i = 0; i < n; i++) {
          const b = best[i]!, v = a[ao + i]!;
          const t = +(v > b);
          const m = -t;
          best[i] = (v & m) | (b & ~m);
          const old = out[oo + i]!;
          out[oo + i] = old + t * (j - old);
        }
      },
    },
  },
  argmin: {
    f32: {
      block: (a, off, m) => {
        let best = a[off]!;
        let bi = 0;
        for (let j = 1; j < m && best === best; j++) {
          const v = a[off + j]!;
          if (v < best || v !== v) {
            best = v;
            bi = j;
          }
        }
        return bi;
      },
      rows: (best, bestW, out, oo, a, aw, ao, j, n) => {
        for (let i = 0; i < n; i++) {
          const b = best[i]!, v = a[ao + i]!;
          const t = +(b === b) & (+(v < b) | +(v !== v));
          const m = -t;
          bestW[i] = (aw[ao + i]! & m) | (bestW[i]! & ~m);
          const old = out[oo + i]!;
          out[oo + i] = old + t * (j - old);
        }
      },
    },
    f64: {
      block: (a, off, m) => {
        let best = a[off]!;
        let bi = 0;
        for (let j = 1; j < m && best === best; j++) {
          const v = a[off + j]!;
          if (v < best || v !== v) {
            best = v;
            bi = j;
          }
        }
        return bi;
      },
      rows: (best, bestW, out, oo, a, aw, ao, j, n) => {
        for (let i = 0; i < n; i++) {
          const b = best[i]!, v = a[ao + i]!;
          const t = +(b === b) & (+(v < b) | +(v !== v));
          const m = -t;
          const wa = 2 * (ao + i), wb = 2 * i;
          bestW[wb] = (aw[wa]! & m) | (bestW[wb]! & ~m);
          bestW[wb + 1] = (aw[wa + 1]! & m) | (bestW[wb + 1]! & ~m);
          const old = out[oo + i]!;
          out[oo + i] = old + t * (j - old);
        }
      },
    },
    any: {
      block: (a, off, m) => {
        let best = a[off]!;
        let bi = 0;
        for (let j = 1; j < m && best === best; j++) {
          const v = a[off + j]!;
          if (v < best || v !== v) {
            best = v;
            bi = j;
          }
        }
        return bi;
      },
      rows: (best, _bestW, out, oo, a, _aw, ao, j, n) => {
        for (let i = 0; i < n; i++) {
          const b = best[i]!, v = a[ao + i]!;
          const t = +(v < b);
          const m = -t;
          best[i] = (v & m) | (b & ~m);
          const old = out[oo + i]!;
          out[oo + i] = old + t * (j - old);
        }
      },
    },
  },
};
