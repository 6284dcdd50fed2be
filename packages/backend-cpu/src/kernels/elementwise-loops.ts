// Per-op inner loops of the elementwise kernels. The copies of an op are written out from one
// expression each and kept uniform: change an op in all its copies at once.
//
// Why so many copies: V8 keeps type feedback per function *literal*. A shared loop calling
// `f(a[i], b[i])` from a table of closures is megamorphic (a call per element), and even a
// per-op loop slows down several times once it has seen more than four typed-array kinds.
// So every op has its own literals, once per storage family:
// - `f32`: Float32Array operands (float32, the training dtype),
// - `f64`: Float64Array operands (float64 and int64),
// - `any`: everything else (Int32Array, Int8Array, Uint8Array for int32, int8, uint8, bool).
// Plain code (no `new Function`), so it also runs under a strict Content-Security-Policy.
//
// Kernels call these loops on runs of at most `CHUNK` elements: a loop that only ever runs in
// one long call is left to on-stack replacement, whose code V8 optimises worse (up to 2× slower
// here); many short calls get it compiled properly, and the call overhead is negligible.
import type { TypedArray } from '@mapnn/core';

type A = TypedArray;

/** The longest run a kernel hands to one call of a loop. */
export const CHUNK = 4096;

/** The loop family for operands stored in `a` and `b`. */
export function familyOf(a: A, b: A = a): Family {
  if (a instanceof Float32Array && b instanceof Float32Array) return 'f32';
  if (a instanceof Float64Array && b instanceof Float64Array) return 'f64';
  return 'any';
}
export type Family = 'f32' | 'f64' | 'any';

// ---------------------------------------------------------------- unary

export const erf = (x: number): number => {
  // Abramowitz–Stegun 7.1.26 is too coarse for float64 checks; use a series/continued-fraction pair.
  const ax = Math.abs(x);
  if (ax < 2.5) {
    // Maclaurin series
    let sum = x;
    let term = x;
    const x2 = x * x;
    for (let n = 1; n < 80; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  }
  // continued fraction for erfc
  let f = 0;
  for (let n = 60; n >= 1; n--) f = n / 2 / (ax + f);
  const erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / (ax + f);
  return x > 0 ? 1 - erfc : erfc - 1;
};

export const roundHalfEven = (x: number): number => {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
};

/** `out[i] = f(a[i])` for off ≤ i < off + n. */
export type UnaryLoop = (out: A, a: A, off: number, n: number) => void;

/**
 * Unary loops per op and family (float-only ops have no `any` entry). `sigmoid` is the stable
 * logistic: 1/(1+e^-x) for x ≥ 0, e^x/(1+e^x) otherwise (NaN stays NaN).
 */
export const UNARY_LOOPS: Record<string, Partial<Record<Family, UnaryLoop>>> = {
  neg: {
    f32: (o, a, off, n) => { for (let i = off, e = off + n; i < e; i++) { const x = a[i]!; o[i] = -x; } },
    f64: (o, a, off, n) => { for (let i = off, e = off + n; i < e; i++) { const x = a[i]!; o[i] = -x; } },
    any: (o, a, off, n) => { for (let i = off, e = off + n; i < e; i++) { const x = a[i]!; o[i] = -x; } },
  },
  abs: {
    f32: (o, a, off, n) => { for (let i = off, e = off + n; i < e; i++) { const x = a[i]!; o[i] = Math.abs(x); } },
    f64: (o, a, off, n) => { for (let i = off, e = off + n; i < e; i++) { const x = a[i]!; o[i] = Math.abs(x); } },
    any: (o, a, off, n) => { for (let i = off, e = off + n; i < e; i++) { const x = a[i]!; o[i] = Math.abs(x); } },
  },
  exp: {
    f32: (o, a, off, n) => { for (let i = off, e = off + n; i < e; i++) { const x = a[i]!; o[i] = Math.exp(x); } },
    f64: (o, a, off, n) => { for (let i = off, e = off + n; i < e; i++) { const x = a[i]!; o[i] = Math.exp(x); } },
  },
  expm1: {
    f32: (o, a, off, n) => { for (let i = off, e = off + n; i < e; i++) { const x = a[i]!; o[i] = Math.expm1(x); } },
    f64: (o, a, off, n) => { for (let i = off, e = off + n; i < e; i++) { const x = a[i]!; o[i] = Math.expm1(x); } },
  },
  log: {
    f32: (o, a, off, n) => { for (let i = off, e = off + n; i < e; i++) { const x = a[i]!; o[i] = Math.log(x); } },
    f64: (o, a, off, n) => { for (let i = off, e = off + n; i < e; i++) { const x = a[i]!; o[i] = Math.log(x); } },
  },
  log1p: {
    f32: (o, a, off, n) => { for (let i = off, e = off + n; i < e; i++) { const x = a[i]!; o[i] = Math.log1p(x); } },
    f64: (o, a, off, n) => { for (let i = off, e = off + n; i < e; i++) { const x = a[i]!; o[i] = Math.log1p(x); } },
  },
  sqrt: {
    f32: (o, a, off, n) => { for (let i = off, e = off + n; i < e; i++) { const x = a[i]!; o[i] = Math.sqrt(x); } },
    f64: (o, a, off, n) => { for (let i = off, e = off + n; i < e; i++) { const x = a[i]!; o[i] = Math.sqrt(x); } },
  },
  sin: {
    f32: (o, a, off, n) => { for (let i = off, e = off + n; i < e; i++) { const x = a[i]!; o[i] = Math.sin(x); } },
    f64: (o, a, off, n) => { for (let i = off, e = off + n; i < e; i++) { const x = a[i]!; o[i] = Math.sin(x); } },
  },
  cos: {
    f32: (o, a, off, n) => { for (let i = off, e = off + n; i < e; i++) { const x = a[i]!; o[i] = Math.cos(x); } },
    f64: (o, a, off, n) => { for (let i = off, e = off + n; i < e; i++) { const x = a[i]!; o[i] = Math.cos(x); } },
  },
  tanh: {
    f32: (o, a, off, n) => { for (let i = off, e = off + n; i < e; i++) { const x = a[i]!; o[i] = Math.tanh(x); } },
    f64: (o, a, off, n) => { for (let i = off, e = off + n; i < e; i++) { const x = a[i]!; o[i] = Math.tanh(x); } },
  },
  erf: {
    f32: (o, a, off, n) => { for (let i = off, e = off + n; i < e; i++) { const x = a[i]!; o[i] = erf(x); } },
    f64: (o, a, off, n) => { for (let i = off, e = off + n; i < e; i++) { const x = a[i]!; o[i] = erf(x); } },
  },
  sign: {
    f32: (o, a, off, n) => { for (let i = off, e = off + n; i < e; i++) { const x = a[i]!; o[i] = x > 0 ? 1 : x < 0 ? -1 : x === 0 ? 0 : NaN; } },
    f64: (o, a, off, n) => { for (let i = off, e = off + n; i < e; i++) { const x = a[i]!; o[i] = x > 0 ? 1 : x < 0 ? -1 : x === 0 ? 0 : NaN; } },
    any: (o, a, off, n) => { for (let i = off, e = off + n; i < e; i++) { const x = a[i]!; o[i] = x > 0 ? 1 : x < 0 ? -1 : x === 0 ? 0 : NaN; } },
  },
  floor: {
    f32: (o, a, off, n) => { for (let i = off, e = off + n; i < e; i++) { const x = a[i]!; o[i] = Math.floor(x); } },
    f64: (o, a, off, n) => { for (let i = off, e = off + n; i < e; i++) { const x = a[i]!; o[i] = Math.floor(x); } },
    any: (o, a, off, n) => { for (let i = off, e = off + n; i < e; i++) { const x = a[i]!; o[i] = Math.floor(x); } },
  },
  ceil: {
    f32: (o, a, off, n) => { for (let i = off, e = off + n; i < e; i++) { const x = a[i]!; o[i] = Math.ceil(x); } },
    f64: (o, a, off, n) => { for (let i = off, e = off + n; i < e; i++) { const x = a[i]!; o[i] = Math.ceil(x); } },
    any: (o, a, off, n) => { for (let i = off, e = off + n; i < e; i++) { const x = a[i]!; o[i] = Math.ceil(x); } },
  },
  round: {
    f32: (o, a, off, n) => { for (let i = off, e = off + n; i < e; i++) { const x = a[i]!; o[i] = roundHalfEven(x); } },
    f64: (o, a, off, n) => { for (let i = off, e = off + n; i < e; i++) { const x = a[i]!; o[i] = roundHalfEven(x); } },
    any: (o, a, off, n) => { for (let i = off, e = off + n; i < e; i++) { const x = a[i]!; o[i] = roundHalfEven(x); } },
  },
  reciprocal: {
    f32: (o, a, off, n) => { for (let i = off, e = off + n; i < e; i++) { const x = a[i]!; o[i] = 1 / x; } },
    f64: (o, a, off, n) => { for (let i = off, e = off + n; i < e; i++) { const x = a[i]!; o[i] = 1 / x; } },
  },
  logicalNot: {
    f32: (o, a, off, n) => { for (let i = off, e = off + n; i < e; i++) { const x = a[i]!; o[i] = +!x; } },
    f64: (o, a, off, n) => { for (let i = off, e = off + n; i < e; i++) { const x = a[i]!; o[i] = +!x; } },
    any: (o, a, off, n) => { for (let i = off, e = off + n; i < e; i++) { const x = a[i]!; o[i] = +!x; } },
  },
  sigmoid: {
    f32: (o, a, off, n) => {
      for (let i = off, e = off + n; i < e; i++) {
        const x = a[i]!;
        if (x >= 0) o[i] = 1 / (1 + Math.exp(-x));
        else {
          const e = Math.exp(x);
          o[i] = e / (1 + e);
        }
      }
    },
    f64: (o, a, off, n) => {
      for (let i = off, e = off + n; i < e; i++) {
        const x = a[i]!;
        if (x >= 0) o[i] = 1 / (1 + Math.exp(-x));
        else {
          const e = Math.exp(x);
          o[i] = e / (1 + e);
        }
      }
    },
  },
};

// ---------------------------------------------------------------- binary

/**
 * The loops of one binary op, each writing `n` outputs from `out[oo]` on:
 * `c` both operands contiguous; `sa` / `sb` the first / second operand a scalar value and the
 * other contiguous; `s` both strided (a stride may be 0).
 */
export interface BinaryLoops {
  c(out: A, oo: number, a: A, ao: number, b: A, bo: number, n: number): void;
  sa(out: A, oo: number, x: number, b: A, bo: number, n: number): void;
  sb(out: A, oo: number, a: A, ao: number, y: number, n: number): void;
  s(out: A, oo: number, a: A, ao: number, as: number, b: A, bo: number, bs: number, n: number): void;
}

// Comparisons use `+(x < y)` rather than `x < y ? 1 : 0`: V8 compiles it without a branch, which
// is several times faster on unpredictable data.
export const BINARY_LOOPS: Record<string, Record<Family, BinaryLoops>> = {
  add: {
    f32: {
      c: (o, oo, a, ao, b, bo, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!, y = b[bo + i]!; o[oo + i] = x + y; } },
      sa: (o, oo, x, b, bo, n) => { for (let i = 0; i < n; i++) { const y = b[bo + i]!; o[oo + i] = x + y; } },
      sb: (o, oo, a, ao, y, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!; o[oo + i] = x + y; } },
      s: (o, oo, a, ao, as, b, bo, bs, n) => {
        for (let i = 0, ia = ao, ib = bo; i < n; i++, ia += as, ib += bs) { const x = a[ia]!, y = b[ib]!; o[oo + i] = x + y; }
      },
    },
    f64: {
      c: (o, oo, a, ao, b, bo, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!, y = b[bo + i]!; o[oo + i] = x + y; } },
      sa: (o, oo, x, b, bo, n) => { for (let i = 0; i < n; i++) { const y = b[bo + i]!; o[oo + i] = x + y; } },
      sb: (o, oo, a, ao, y, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!; o[oo + i] = x + y; } },
      s: (o, oo, a, ao, as, b, bo, bs, n) => {
        for (let i = 0, ia = ao, ib = bo; i < n; i++, ia += as, ib += bs) { const x = a[ia]!, y = b[ib]!; o[oo + i] = x + y; }
      },
    },
    any: {
      c: (o, oo, a, ao, b, bo, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!, y = b[bo + i]!; o[oo + i] = x + y; } },
      sa: (o, oo, x, b, bo, n) => { for (let i = 0; i < n; i++) { const y = b[bo + i]!; o[oo + i] = x + y; } },
      sb: (o, oo, a, ao, y, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!; o[oo + i] = x + y; } },
      s: (o, oo, a, ao, as, b, bo, bs, n) => {
        for (let i = 0, ia = ao, ib = bo; i < n; i++, ia += as, ib += bs) { const x = a[ia]!, y = b[ib]!; o[oo + i] = x + y; }
      },
    },
  },
  sub: {
    f32: {
      c: (o, oo, a, ao, b, bo, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!, y = b[bo + i]!; o[oo + i] = x - y; } },
      sa: (o, oo, x, b, bo, n) => { for (let i = 0; i < n; i++) { const y = b[bo + i]!; o[oo + i] = x - y; } },
      sb: (o, oo, a, ao, y, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!; o[oo + i] = x - y; } },
      s: (o, oo, a, ao, as, b, bo, bs, n) => {
        for (let i = 0, ia = ao, ib = bo; i < n; i++, ia += as, ib += bs) { const x = a[ia]!, y = b[ib]!; o[oo + i] = x - y; }
      },
    },
    f64: {
      c: (o, oo, a, ao, b, bo, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!, y = b[bo + i]!; o[oo + i] = x - y; } },
      sa: (o, oo, x, b, bo, n) => { for (let i = 0; i < n; i++) { const y = b[bo + i]!; o[oo + i] = x - y; } },
      sb: (o, oo, a, ao, y, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!; o[oo + i] = x - y; } },
      s: (o, oo, a, ao, as, b, bo, bs, n) => {
        for (let i = 0, ia = ao, ib = bo; i < n; i++, ia += as, ib += bs) { const x = a[ia]!, y = b[ib]!; o[oo + i] = x - y; }
      },
    },
    any: {
      c: (o, oo, a, ao, b, bo, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!, y = b[bo + i]!; o[oo + i] = x - y; } },
      sa: (o, oo, x, b, bo, n) => { for (let i = 0; i < n; i++) { const y = b[bo + i]!; o[oo + i] = x - y; } },
      sb: (o, oo, a, ao, y, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!; o[oo + i] = x - y; } },
      s: (o, oo, a, ao, as, b, bo, bs, n) => {
        for (let i = 0, ia = ao, ib = bo; i < n; i++, ia += as, ib += bs) { const x = a[ia]!, y = b[ib]!; o[oo + i] = x - y; }
      },
    },
  },
  mul: {
    f32: {
      c: (o, oo, a, ao, b, bo, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!, y = b[bo + i]!; o[oo + i] = x * y; } },
      sa: (o, oo, x, b, bo, n) => { for (let i = 0; i < n; i++) { const y = b[bo + i]!; o[oo + i] = x * y; } },
      sb: (o, oo, a, ao, y, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!; o[oo + i] = x * y; } },
      s: (o, oo, a, ao, as, b, bo, bs, n) => {
        for (let i = 0, ia = ao, ib = bo; i < n; i++, ia += as, ib += bs) { const x = a[ia]!, y = b[ib]!; o[oo + i] = x * y; }
      },
    },
    f64: {
      c: (o, oo, a, ao, b, bo, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!, y = b[bo + i]!; o[oo + i] = x * y; } },
      sa: (o, oo, x, b, bo, n) => { for (let i = 0; i < n; i++) { const y = b[bo + i]!; o[oo + i] = x * y; } },
      sb: (o, oo, a, ao, y, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!; o[oo + i] = x * y; } },
      s: (o, oo, a, ao, as, b, bo, bs, n) => {
        for (let i = 0, ia = ao, ib = bo; i < n; i++, ia += as, ib += bs) { const x = a[ia]!, y = b[ib]!; o[oo + i] = x * y; }
      },
    },
    any: {
      c: (o, oo, a, ao, b, bo, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!, y = b[bo + i]!; o[oo + i] = x * y; } },
      sa: (o, oo, x, b, bo, n) => { for (let i = 0; i < n; i++) { const y = b[bo + i]!; o[oo + i] = x * y; } },
      sb: (o, oo, a, ao, y, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!; o[oo + i] = x * y; } },
      s: (o, oo, a, ao, as, b, bo, bs, n) => {
        for (let i = 0, ia = ao, ib = bo; i < n; i++, ia += as, ib += bs) { const x = a[ia]!, y = b[ib]!; o[oo + i] = x * y; }
      },
    },
  },
  div: {
    f32: {
      c: (o, oo, a, ao, b, bo, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!, y = b[bo + i]!; o[oo + i] = x / y; } },
      sa: (o, oo, x, b, bo, n) => { for (let i = 0; i < n; i++) { const y = b[bo + i]!; o[oo + i] = x / y; } },
      sb: (o, oo, a, ao, y, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!; o[oo + i] = x / y; } },
      s: (o, oo, a, ao, as, b, bo, bs, n) => {
        for (let i = 0, ia = ao, ib = bo; i < n; i++, ia += as, ib += bs) { const x = a[ia]!, y = b[ib]!; o[oo + i] = x / y; }
      },
    },
    f64: {
      c: (o, oo, a, ao, b, bo, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!, y = b[bo + i]!; o[oo + i] = x / y; } },
      sa: (o, oo, x, b, bo, n) => { for (let i = 0; i < n; i++) { const y = b[bo + i]!; o[oo + i] = x / y; } },
      sb: (o, oo, a, ao, y, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!; o[oo + i] = x / y; } },
      s: (o, oo, a, ao, as, b, bo, bs, n) => {
        for (let i = 0, ia = ao, ib = bo; i < n; i++, ia += as, ib += bs) { const x = a[ia]!, y = b[ib]!; o[oo + i] = x / y; }
      },
    },
    any: {
      c: (o, oo, a, ao, b, bo, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!, y = b[bo + i]!; o[oo + i] = x / y; } },
      sa: (o, oo, x, b, bo, n) => { for (let i = 0; i < n; i++) { const y = b[bo + i]!; o[oo + i] = x / y; } },
      sb: (o, oo, a, ao, y, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!; o[oo + i] = x / y; } },
      s: (o, oo, a, ao, as, b, bo, bs, n) => {
        for (let i = 0, ia = ao, ib = bo; i < n; i++, ia += as, ib += bs) { const x = a[ia]!, y = b[ib]!; o[oo + i] = x / y; }
      },
    },
  },
  pow: {
    f32: {
      c: (o, oo, a, ao, b, bo, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!, y = b[bo + i]!; o[oo + i] = Math.pow(x, y); } },
      sa: (o, oo, x, b, bo, n) => { for (let i = 0; i < n; i++) { const y = b[bo + i]!; o[oo + i] = Math.pow(x, y); } },
      sb: (o, oo, a, ao, y, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!; o[oo + i] = Math.pow(x, y); } },
      s: (o, oo, a, ao, as, b, bo, bs, n) => {
        for (let i = 0, ia = ao, ib = bo; i < n; i++, ia += as, ib += bs) { const x = a[ia]!, y = b[ib]!; o[oo + i] = Math.pow(x, y); }
      },
    },
    f64: {
      c: (o, oo, a, ao, b, bo, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!, y = b[bo + i]!; o[oo + i] = Math.pow(x, y); } },
      sa: (o, oo, x, b, bo, n) => { for (let i = 0; i < n; i++) { const y = b[bo + i]!; o[oo + i] = Math.pow(x, y); } },
      sb: (o, oo, a, ao, y, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!; o[oo + i] = Math.pow(x, y); } },
      s: (o, oo, a, ao, as, b, bo, bs, n) => {
        for (let i = 0, ia = ao, ib = bo; i < n; i++, ia += as, ib += bs) { const x = a[ia]!, y = b[ib]!; o[oo + i] = Math.pow(x, y); }
      },
    },
    any: {
      c: (o, oo, a, ao, b, bo, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!, y = b[bo + i]!; o[oo + i] = Math.pow(x, y); } },
      sa: (o, oo, x, b, bo, n) => { for (let i = 0; i < n; i++) { const y = b[bo + i]!; o[oo + i] = Math.pow(x, y); } },
      sb: (o, oo, a, ao, y, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!; o[oo + i] = Math.pow(x, y); } },
      s: (o, oo, a, ao, as, b, bo, bs, n) => {
        for (let i = 0, ia = ao, ib = bo; i < n; i++, ia += as, ib += bs) { const x = a[ia]!, y = b[ib]!; o[oo + i] = Math.pow(x, y); }
      },
    },
  },
  maximum: {
    f32: {
      c: (o, oo, a, ao, b, bo, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!, y = b[bo + i]!; o[oo + i] = x !== x || y !== y ? NaN : x > y ? x : y; } },
      sa: (o, oo, x, b, bo, n) => { for (let i = 0; i < n; i++) { const y = b[bo + i]!; o[oo + i] = x !== x || y !== y ? NaN : x > y ? x : y; } },
      sb: (o, oo, a, ao, y, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!; o[oo + i] = x !== x || y !== y ? NaN : x > y ? x : y; } },
      s: (o, oo, a, ao, as, b, bo, bs, n) => {
        for (let i = 0, ia = ao, ib = bo; i < n; i++, ia += as, ib += bs) { const x = a[ia]!, y = b[ib]!; o[oo + i] = x !== x || y !== y ? NaN : x > y ? x : y; }
      },
    },
    f64: {
      c: (o, oo, a, ao, b, bo, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!, y = b[bo + i]!; o[oo + i] = x !== x || y !== y ? NaN : x > y ? x : y; } },
      sa: (o, oo, x, b, bo, n) => { for (let i = 0; i < n; i++) { const y = b[bo + i]!; o[oo + i] = x !== x || y !== y ? NaN : x > y ? x : y; } },
      sb: (o, oo, a, ao, y, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!; o[oo + i] = x !== x || y !== y ? NaN : x > y ? x : y; } },
      s: (o, oo, a, ao, as, b, bo, bs, n) => {
        for (let i = 0, ia = ao, ib = bo; i < n; i++, ia += as, ib += bs) { const x = a[ia]!, y = b[ib]!; o[oo + i] = x !== x || y !== y ? NaN : x > y ? x : y; }
      },
    },
    any: {
      c: (o, oo, a, ao, b, bo, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!, y = b[bo + i]!; o[oo + i] = x !== x || y !== y ? NaN : x > y ? x : y; } },
      sa: (o, oo, x, b, bo, n) => { for (let i = 0; i < n; i++) { const y = b[bo + i]!; o[oo + i] = x !== x || y !== y ? NaN : x > y ? x : y; } },
      sb: (o, oo, a, ao, y, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!; o[oo + i] = x !== x || y !== y ? NaN : x > y ? x : y; } },
      s: (o, oo, a, ao, as, b, bo, bs, n) => {
        for (let i = 0, ia = ao, ib = bo; i < n; i++, ia += as, ib += bs) { const x = a[ia]!, y = b[ib]!; o[oo + i] = x !== x || y !== y ? NaN : x > y ? x : y; }
      },
    },
  },
  minimum: {
    f32: {
      c: (o, oo, a, ao, b, bo, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!, y = b[bo + i]!; o[oo + i] = x !== x || y !== y ? NaN : x < y ? x : y; } },
      sa: (o, oo, x, b, bo, n) => { for (let i = 0; i < n; i++) { const y = b[bo + i]!; o[oo + i] = x !== x || y !== y ? NaN : x < y ? x : y; } },
      sb: (o, oo, a, ao, y, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!; o[oo + i] = x !== x || y !== y ? NaN : x < y ? x : y; } },
      s: (o, oo, a, ao, as, b, bo, bs, n) => {
        for (let i = 0, ia = ao, ib = bo; i < n; i++, ia += as, ib += bs) { const x = a[ia]!, y = b[ib]!; o[oo + i] = x !== x || y !== y ? NaN : x < y ? x : y; }
      },
    },
    f64: {
      c: (o, oo, a, ao, b, bo, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!, y = b[bo + i]!; o[oo + i] = x !== x || y !== y ? NaN : x < y ? x : y; } },
      sa: (o, oo, x, b, bo, n) => { for (let i = 0; i < n; i++) { const y = b[bo + i]!; o[oo + i] = x !== x || y !== y ? NaN : x < y ? x : y; } },
      sb: (o, oo, a, ao, y, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!; o[oo + i] = x !== x || y !== y ? NaN : x < y ? x : y; } },
      s: (o, oo, a, ao, as, b, bo, bs, n) => {
        for (let i = 0, ia = ao, ib = bo; i < n; i++, ia += as, ib += bs) { const x = a[ia]!, y = b[ib]!; o[oo + i] = x !== x || y !== y ? NaN : x < y ? x : y; }
      },
    },
    any: {
      c: (o, oo, a, ao, b, bo, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!, y = b[bo + i]!; o[oo + i] = x !== x || y !== y ? NaN : x < y ? x : y; } },
      sa: (o, oo, x, b, bo, n) => { for (let i = 0; i < n; i++) { const y = b[bo + i]!; o[oo + i] = x !== x || y !== y ? NaN : x < y ? x : y; } },
      sb: (o, oo, a, ao, y, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!; o[oo + i] = x !== x || y !== y ? NaN : x < y ? x : y; } },
      s: (o, oo, a, ao, as, b, bo, bs, n) => {
        for (let i = 0, ia = ao, ib = bo; i < n; i++, ia += as, ib += bs) { const x = a[ia]!, y = b[ib]!; o[oo + i] = x !== x || y !== y ? NaN : x < y ? x : y; }
      },
    },
  },
  mod: {
    f32: {
      c: (o, oo, a, ao, b, bo, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!, y = b[bo + i]!; o[oo + i] = x - Math.floor(x / y) * y; } },
      sa: (o, oo, x, b, bo, n) => { for (let i = 0; i < n; i++) { const y = b[bo + i]!; o[oo + i] = x - Math.floor(x / y) * y; } },
      sb: (o, oo, a, ao, y, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!; o[oo + i] = x - Math.floor(x / y) * y; } },
      s: (o, oo, a, ao, as, b, bo, bs, n) => {
        for (let i = 0, ia = ao, ib = bo; i < n; i++, ia += as, ib += bs) { const x = a[ia]!, y = b[ib]!; o[oo + i] = x - Math.floor(x / y) * y; }
      },
    },
    f64: {
      c: (o, oo, a, ao, b, bo, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!, y = b[bo + i]!; o[oo + i] = x - Math.floor(x / y) * y; } },
      sa: (o, oo, x, b, bo, n) => { for (let i = 0; i < n; i++) { const y = b[bo + i]!; o[oo + i] = x - Math.floor(x / y) * y; } },
      sb: (o, oo, a, ao, y, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!; o[oo + i] = x - Math.floor(x / y) * y; } },
      s: (o, oo, a, ao, as, b, bo, bs, n) => {
        for (let i = 0, ia = ao, ib = bo; i < n; i++, ia += as, ib += bs) { const x = a[ia]!, y = b[ib]!; o[oo + i] = x - Math.floor(x / y) * y; }
      },
    },
    any: {
      c: (o, oo, a, ao, b, bo, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!, y = b[bo + i]!; o[oo + i] = x - Math.floor(x / y) * y; } },
      sa: (o, oo, x, b, bo, n) => { for (let i = 0; i < n; i++) { const y = b[bo + i]!; o[oo + i] = x - Math.floor(x / y) * y; } },
      sb: (o, oo, a, ao, y, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!; o[oo + i] = x - Math.floor(x / y) * y; } },
      s: (o, oo, a, ao, as, b, bo, bs, n) => {
        for (let i = 0, ia = ao, ib = bo; i < n; i++, ia += as, ib += bs) { const x = a[ia]!, y = b[ib]!; o[oo + i] = x - Math.floor(x / y) * y; }
      },
    },
  },
  eq: {
    f32: {
      c: (o, oo, a, ao, b, bo, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!, y = b[bo + i]!; o[oo + i] = +(x === y); } },
      sa: (o, oo, x, b, bo, n) => { for (let i = 0; i < n; i++) { const y = b[bo + i]!; o[oo + i] = +(x === y); } },
      sb: (o, oo, a, ao, y, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!; o[oo + i] = +(x === y); } },
      s: (o, oo, a, ao, as, b, bo, bs, n) => {
        for (let i = 0, ia = ao, ib = bo; i < n; i++, ia += as, ib += bs) { const x = a[ia]!, y = b[ib]!; o[oo + i] = +(x === y); }
      },
    },
    f64: {
      c: (o, oo, a, ao, b, bo, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!, y = b[bo + i]!; o[oo + i] = +(x === y); } },
      sa: (o, oo, x, b, bo, n) => { for (let i = 0; i < n; i++) { const y = b[bo + i]!; o[oo + i] = +(x === y); } },
      sb: (o, oo, a, ao, y, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!; o[oo + i] = +(x === y); } },
      s: (o, oo, a, ao, as, b, bo, bs, n) => {
        for (let i = 0, ia = ao, ib = bo; i < n; i++, ia += as, ib += bs) { const x = a[ia]!, y = b[ib]!; o[oo + i] = +(x === y); }
      },
    },
    any: {
      c: (o, oo, a, ao, b, bo, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!, y = b[bo + i]!; o[oo + i] = +(x === y); } },
      sa: (o, oo, x, b, bo, n) => { for (let i = 0; i < n; i++) { const y = b[bo + i]!; o[oo + i] = +(x === y); } },
      sb: (o, oo, a, ao, y, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!; o[oo + i] = +(x === y); } },
      s: (o, oo, a, ao, as, b, bo, bs, n) => {
        for (let i = 0, ia = ao, ib = bo; i < n; i++, ia += as, ib += bs) { const x = a[ia]!, y = b[ib]!; o[oo + i] = +(x === y); }
      },
    },
  },
  ne: {
    f32: {
      c: (o, oo, a, ao, b, bo, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!, y = b[bo + i]!; o[oo + i] = +(x !== y); } },
      sa: (o, oo, x, b, bo, n) => { for (let i = 0; i < n; i++) { const y = b[bo + i]!; o[oo + i] = +(x !== y); } },
      sb: (o, oo, a, ao, y, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!; o[oo + i] = +(x !== y); } },
      s: (o, oo, a, ao, as, b, bo, bs, n) => {
        for (let i = 0, ia = ao, ib = bo; i < n; i++, ia += as, ib += bs) { const x = a[ia]!, y = b[ib]!; o[oo + i] = +(x !== y); }
      },
    },
    f64: {
      c: (o, oo, a, ao, b, bo, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!, y = b[bo + i]!; o[oo + i] = +(x !== y); } },
      sa: (o, oo, x, b, bo, n) => { for (let i = 0; i < n; i++) { const y = b[bo + i]!; o[oo + i] = +(x !== y); } },
      sb: (o, oo, a, ao, y, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!; o[oo + i] = +(x !== y); } },
      s: (o, oo, a, ao, as, b, bo, bs, n) => {
        for (let i = 0, ia = ao, ib = bo; i < n; i++, ia += as, ib += bs) { const x = a[ia]!, y = b[ib]!; o[oo + i] = +(x !== y); }
      },
    },
    any: {
      c: (o, oo, a, ao, b, bo, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!, y = b[bo + i]!; o[oo + i] = +(x !== y); } },
      sa: (o, oo, x, b, bo, n) => { for (let i = 0; i < n; i++) { const y = b[bo + i]!; o[oo + i] = +(x !== y); } },
      sb: (o, oo, a, ao, y, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!; o[oo + i] = +(x !== y); } },
      s: (o, oo, a, ao, as, b, bo, bs, n) => {
        for (let i = 0, ia = ao, ib = bo; i < n; i++, ia += as, ib += bs) { const x = a[ia]!, y = b[ib]!; o[oo + i] = +(x !== y); }
      },
    },
  },
  lt: {
    f32: {
      c: (o, oo, a, ao, b, bo, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!, y = b[bo + i]!; o[oo + i] = +(x < y); } },
      sa: (o, oo, x, b, bo, n) => { for (let i = 0; i < n; i++) { const y = b[bo + i]!; o[oo + i] = +(x < y); } },
      sb: (o, oo, a, ao, y, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!; o[oo + i] = +(x < y); } },
      s: (o, oo, a, ao, as, b, bo, bs, n) => {
        for (let i = 0, ia = ao, ib = bo; i < n; i++, ia += as, ib += bs) { const x = a[ia]!, y = b[ib]!; o[oo + i] = +(x < y); }
      },
    },
    f64: {
      c: (o, oo, a, ao, b, bo, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!, y = b[bo + i]!; o[oo + i] = +(x < y); } },
      sa: (o, oo, x, b, bo, n) => { for (let i = 0; i < n; i++) { const y = b[bo + i]!; o[oo + i] = +(x < y); } },
      sb: (o, oo, a, ao, y, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!; o[oo + i] = +(x < y); } },
      s: (o, oo, a, ao, as, b, bo, bs, n) => {
        for (let i = 0, ia = ao, ib = bo; i < n; i++, ia += as, ib += bs) { const x = a[ia]!, y = b[ib]!; o[oo + i] = +(x < y); }
      },
    },
    any: {
      c: (o, oo, a, ao, b, bo, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!, y = b[bo + i]!; o[oo + i] = +(x < y); } },
      sa: (o, oo, x, b, bo, n) => { for (let i = 0; i < n; i++) { const y = b[bo + i]!; o[oo + i] = +(x < y); } },
      sb: (o, oo, a, ao, y, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!; o[oo + i] = +(x < y); } },
      s: (o, oo, a, ao, as, b, bo, bs, n) => {
        for (let i = 0, ia = ao, ib = bo; i < n; i++, ia += as, ib += bs) { const x = a[ia]!, y = b[ib]!; o[oo + i] = +(x < y); }
      },
    },
  },
  le: {
    f32: {
      c: (o, oo, a, ao, b, bo, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!, y = b[bo + i]!; o[oo + i] = +(x <= y); } },
      sa: (o, oo, x, b, bo, n) => { for (let i = 0; i < n; i++) { const y = b[bo + i]!; o[oo + i] = +(x <= y); } },
      sb: (o, oo, a, ao, y, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!; o[oo + i] = +(x <= y); } },
      s: (o, oo, a, ao, as, b, bo, bs, n) => {
        for (let i = 0, ia = ao, ib = bo; i < n; i++, ia += as, ib += bs) { const x = a[ia]!, y = b[ib]!; o[oo + i] = +(x <= y); }
      },
    },
    f64: {
      c: (o, oo, a, ao, b, bo, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!, y = b[bo + i]!; o[oo + i] = +(x <= y); } },
      sa: (o, oo, x, b, bo, n) => { for (let i = 0; i < n; i++) { const y = b[bo + i]!; o[oo + i] = +(x <= y); } },
      sb: (o, oo, a, ao, y, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!; o[oo + i] = +(x <= y); } },
      s: (o, oo, a, ao, as, b, bo, bs, n) => {
        for (let i = 0, ia = ao, ib = bo; i < n; i++, ia += as, ib += bs) { const x = a[ia]!, y = b[ib]!; o[oo + i] = +(x <= y); }
      },
    },
    any: {
      c: (o, oo, a, ao, b, bo, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!, y = b[bo + i]!; o[oo + i] = +(x <= y); } },
      sa: (o, oo, x, b, bo, n) => { for (let i = 0; i < n; i++) { const y = b[bo + i]!; o[oo + i] = +(x <= y); } },
      sb: (o, oo, a, ao, y, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!; o[oo + i] = +(x <= y); } },
      s: (o, oo, a, ao, as, b, bo, bs, n) => {
        for (let i = 0, ia = ao, ib = bo; i < n; i++, ia += as, ib += bs) { const x = a[ia]!, y = b[ib]!; o[oo + i] = +(x <= y); }
      },
    },
  },
  gt: {
    f32: {
      c: (o, oo, a, ao, b, bo, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!, y = b[bo + i]!; o[oo + i] = +(x > y); } },
      sa: (o, oo, x, b, bo, n) => { for (let i = 0; i < n; i++) { const y = b[bo + i]!; o[oo + i] = +(x > y); } },
      sb: (o, oo, a, ao, y, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!; o[oo + i] = +(x > y); } },
      s: (o, oo, a, ao, as, b, bo, bs, n) => {
        for (let i = 0, ia = ao, ib = bo; i < n; i++, ia += as, ib += bs) { const x = a[ia]!, y = b[ib]!; o[oo + i] = +(x > y); }
      },
    },
    f64: {
      c: (o, oo, a, ao, b, bo, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!, y = b[bo + i]!; o[oo + i] = +(x > y); } },
      sa: (o, oo, x, b, bo, n) => { for (let i = 0; i < n; i++) { const y = b[bo + i]!; o[oo + i] = +(x > y); } },
      sb: (o, oo, a, ao, y, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!; o[oo + i] = +(x > y); } },
      s: (o, oo, a, ao, as, b, bo, bs, n) => {
        for (let i = 0, ia = ao, ib = bo; i < n; i++, ia += as, ib += bs) { const x = a[ia]!, y = b[ib]!; o[oo + i] = +(x > y); }
      },
    },
    any: {
      c: (o, oo, a, ao, b, bo, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!, y = b[bo + i]!; o[oo + i] = +(x > y); } },
      sa: (o, oo, x, b, bo, n) => { for (let i = 0; i < n; i++) { const y = b[bo + i]!; o[oo + i] = +(x > y); } },
      sb: (o, oo, a, ao, y, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!; o[oo + i] = +(x > y); } },
      s: (o, oo, a, ao, as, b, bo, bs, n) => {
        for (let i = 0, ia = ao, ib = bo; i < n; i++, ia += as, ib += bs) { const x = a[ia]!, y = b[ib]!; o[oo + i] = +(x > y); }
      },
    },
  },
  ge: {
    f32: {
      c: (o, oo, a, ao, b, bo, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!, y = b[bo + i]!; o[oo + i] = +(x >= y); } },
      sa: (o, oo, x, b, bo, n) => { for (let i = 0; i < n; i++) { const y = b[bo + i]!; o[oo + i] = +(x >= y); } },
      sb: (o, oo, a, ao, y, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!; o[oo + i] = +(x >= y); } },
      s: (o, oo, a, ao, as, b, bo, bs, n) => {
        for (let i = 0, ia = ao, ib = bo; i < n; i++, ia += as, ib += bs) { const x = a[ia]!, y = b[ib]!; o[oo + i] = +(x >= y); }
      },
    },
    f64: {
      c: (o, oo, a, ao, b, bo, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!, y = b[bo + i]!; o[oo + i] = +(x >= y); } },
      sa: (o, oo, x, b, bo, n) => { for (let i = 0; i < n; i++) { const y = b[bo + i]!; o[oo + i] = +(x >= y); } },
      sb: (o, oo, a, ao, y, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!; o[oo + i] = +(x >= y); } },
      s: (o, oo, a, ao, as, b, bo, bs, n) => {
        for (let i = 0, ia = ao, ib = bo; i < n; i++, ia += as, ib += bs) { const x = a[ia]!, y = b[ib]!; o[oo + i] = +(x >= y); }
      },
    },
    any: {
      c: (o, oo, a, ao, b, bo, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!, y = b[bo + i]!; o[oo + i] = +(x >= y); } },
      sa: (o, oo, x, b, bo, n) => { for (let i = 0; i < n; i++) { const y = b[bo + i]!; o[oo + i] = +(x >= y); } },
      sb: (o, oo, a, ao, y, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!; o[oo + i] = +(x >= y); } },
      s: (o, oo, a, ao, as, b, bo, bs, n) => {
        for (let i = 0, ia = ao, ib = bo; i < n; i++, ia += as, ib += bs) { const x = a[ia]!, y = b[ib]!; o[oo + i] = +(x >= y); }
      },
    },
  },
  logicalAnd: {
    f32: {
      c: (o, oo, a, ao, b, bo, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!, y = b[bo + i]!; o[oo + i] = x && y ? 1 : 0; } },
      sa: (o, oo, x, b, bo, n) => { for (let i = 0; i < n; i++) { const y = b[bo + i]!; o[oo + i] = x && y ? 1 : 0; } },
      sb: (o, oo, a, ao, y, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!; o[oo + i] = x && y ? 1 : 0; } },
      s: (o, oo, a, ao, as, b, bo, bs, n) => {
        for (let i = 0, ia = ao, ib = bo; i < n; i++, ia += as, ib += bs) { const x = a[ia]!, y = b[ib]!; o[oo + i] = x && y ? 1 : 0; }
      },
    },
    f64: {
      c: (o, oo, a, ao, b, bo, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!, y = b[bo + i]!; o[oo + i] = x && y ? 1 : 0; } },
      sa: (o, oo, x, b, bo, n) => { for (let i = 0; i < n; i++) { const y = b[bo + i]!; o[oo + i] = x && y ? 1 : 0; } },
      sb: (o, oo, a, ao, y, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!; o[oo + i] = x && y ? 1 : 0; } },
      s: (o, oo, a, ao, as, b, bo, bs, n) => {
        for (let i = 0, ia = ao, ib = bo; i < n; i++, ia += as, ib += bs) { const x = a[ia]!, y = b[ib]!; o[oo + i] = x && y ? 1 : 0; }
      },
    },
    any: {
      c: (o, oo, a, ao, b, bo, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!, y = b[bo + i]!; o[oo + i] = x && y ? 1 : 0; } },
      sa: (o, oo, x, b, bo, n) => { for (let i = 0; i < n; i++) { const y = b[bo + i]!; o[oo + i] = x && y ? 1 : 0; } },
      sb: (o, oo, a, ao, y, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!; o[oo + i] = x && y ? 1 : 0; } },
      s: (o, oo, a, ao, as, b, bo, bs, n) => {
        for (let i = 0, ia = ao, ib = bo; i < n; i++, ia += as, ib += bs) { const x = a[ia]!, y = b[ib]!; o[oo + i] = x && y ? 1 : 0; }
      },
    },
  },
  logicalOr: {
    f32: {
      c: (o, oo, a, ao, b, bo, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!, y = b[bo + i]!; o[oo + i] = x || y ? 1 : 0; } },
      sa: (o, oo, x, b, bo, n) => { for (let i = 0; i < n; i++) { const y = b[bo + i]!; o[oo + i] = x || y ? 1 : 0; } },
      sb: (o, oo, a, ao, y, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!; o[oo + i] = x || y ? 1 : 0; } },
      s: (o, oo, a, ao, as, b, bo, bs, n) => {
        for (let i = 0, ia = ao, ib = bo; i < n; i++, ia += as, ib += bs) { const x = a[ia]!, y = b[ib]!; o[oo + i] = x || y ? 1 : 0; }
      },
    },
    f64: {
      c: (o, oo, a, ao, b, bo, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!, y = b[bo + i]!; o[oo + i] = x || y ? 1 : 0; } },
      sa: (o, oo, x, b, bo, n) => { for (let i = 0; i < n; i++) { const y = b[bo + i]!; o[oo + i] = x || y ? 1 : 0; } },
      sb: (o, oo, a, ao, y, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!; o[oo + i] = x || y ? 1 : 0; } },
      s: (o, oo, a, ao, as, b, bo, bs, n) => {
        for (let i = 0, ia = ao, ib = bo; i < n; i++, ia += as, ib += bs) { const x = a[ia]!, y = b[ib]!; o[oo + i] = x || y ? 1 : 0; }
      },
    },
    any: {
      c: (o, oo, a, ao, b, bo, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!, y = b[bo + i]!; o[oo + i] = x || y ? 1 : 0; } },
      sa: (o, oo, x, b, bo, n) => { for (let i = 0; i < n; i++) { const y = b[bo + i]!; o[oo + i] = x || y ? 1 : 0; } },
      sb: (o, oo, a, ao, y, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!; o[oo + i] = x || y ? 1 : 0; } },
      s: (o, oo, a, ao, as, b, bo, bs, n) => {
        for (let i = 0, ia = ao, ib = bo; i < n; i++, ia += as, ib += bs) { const x = a[ia]!, y = b[ib]!; o[oo + i] = x || y ? 1 : 0; }
      },
    },
  },
  logicalXor: {
    f32: {
      c: (o, oo, a, ao, b, bo, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!, y = b[bo + i]!; o[oo + i] = +(!x !== !y); } },
      sa: (o, oo, x, b, bo, n) => { for (let i = 0; i < n; i++) { const y = b[bo + i]!; o[oo + i] = +(!x !== !y); } },
      sb: (o, oo, a, ao, y, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!; o[oo + i] = +(!x !== !y); } },
      s: (o, oo, a, ao, as, b, bo, bs, n) => {
        for (let i = 0, ia = ao, ib = bo; i < n; i++, ia += as, ib += bs) { const x = a[ia]!, y = b[ib]!; o[oo + i] = +(!x !== !y); }
      },
    },
    f64: {
      c: (o, oo, a, ao, b, bo, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!, y = b[bo + i]!; o[oo + i] = +(!x !== !y); } },
      sa: (o, oo, x, b, bo, n) => { for (let i = 0; i < n; i++) { const y = b[bo + i]!; o[oo + i] = +(!x !== !y); } },
      sb: (o, oo, a, ao, y, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!; o[oo + i] = +(!x !== !y); } },
      s: (o, oo, a, ao, as, b, bo, bs, n) => {
        for (let i = 0, ia = ao, ib = bo; i < n; i++, ia += as, ib += bs) { const x = a[ia]!, y = b[ib]!; o[oo + i] = +(!x !== !y); }
      },
    },
    any: {
      c: (o, oo, a, ao, b, bo, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!, y = b[bo + i]!; o[oo + i] = +(!x !== !y); } },
      sa: (o, oo, x, b, bo, n) => { for (let i = 0; i < n; i++) { const y = b[bo + i]!; o[oo + i] = +(!x !== !y); } },
      sb: (o, oo, a, ao, y, n) => { for (let i = 0; i < n; i++) { const x = a[ao + i]!; o[oo + i] = +(!x !== !y); } },
      s: (o, oo, a, ao, as, b, bo, bs, n) => {
        for (let i = 0, ia = ao, ib = bo; i < n; i++, ia += as, ib += bs) { const x = a[ia]!, y = b[ib]!; o[oo + i] = +(!x !== !y); }
      },
    },
  },
};

// ---------------------------------------------------------------- branch-free selection
//
// `maximum`, `minimum` and `where` pick one of two values per element. On unpredictable data a
// branch mispredicts about half the time, so these loops select raw bits instead:
// `m = -(+cond)` is 0 or all ones and `(a & m) | (b & ~m)` picks a word. Words come from
// `wordsOf`: an Int32Array view of float32/int32 storage, two Int32Array words per element of
// float64/int64 storage (the `f64` loops), a Uint8Array view of int8/uint8/bool storage. For
// maximum/minimum the `a`, `b` arguments are the values (compared) and `aw`, `bw`, `ow` the words
// (selected); the `any` family (integers) selects the values themselves.

/** The loops of maximum or minimum for one family (`s` strided, `sb` second operand a scalar). */
export interface SelectLoops {
  s(ow: A, oo: number, a: A, aw: A, ao: number, as: number, b: A, bw: A, bo: number, bs: number, n: number): void;
  /** The scalar is `b[bo]` (words `bw` at `bo`). */
  sb(ow: A, oo: number, a: A, aw: A, ao: number, b: A, bw: A, bo: number, n: number): void;
}

// maximum: x if x > y or x is NaN, else y (so a NaN y wins too, and a ±0 tie gives y, as
// `x > y ? x : y` does); with a scalar y that is not NaN the test is !(x <= y). minimum likewise.
export const SELECT_LOOPS: Record<'maximum' | 'minimum', Record<Family, SelectLoops>> = {
  maximum: {
    f32: {
      s: (ow, oo, a, aw, ao, as, b, bw, bo, bs, n) => {
        for (let i = 0, ia = ao, ib = bo; i < n; i++, ia += as, ib += bs) {
          const x = a[ia]!, y = b[ib]!;
          const m = -(+(x > y) | +(x !== x));
          ow[oo + i] = (aw[ia]! & m) | (bw[ib]! & ~m);
        }
      },
      sb: (ow, oo, a, aw, ao, b, bw, bo, n) => {
        const y = b[bo]!, w = bw[bo]!;
        if (y !== y) ow.fill(w, oo, oo + n);
        else {
          for (let i = 0; i < n; i++) {
            const m = -(+!(a[ao + i]! <= y));
            ow[oo + i] = (aw[ao + i]! & m) | (w & ~m);
          }
        }
      },
    },
    f64: {
      s: (ow, oo, a, aw, ao, as, b, bw, bo, bs, n) => {
        for (let i = 0, ia = ao, ib = bo; i < n; i++, ia += as, ib += bs) {
          const x = a[ia]!, y = b[ib]!;
          const m = -(+(x > y) | +(x !== x));
          const wo = 2 * (oo + i), wa = 2 * ia, wb = 2 * ib;
          ow[wo] = (aw[wa]! & m) | (bw[wb]! & ~m);
          ow[wo + 1] = (aw[wa + 1]! & m) | (bw[wb + 1]! & ~m);
        }
      },
      sb: (ow, oo, a, aw, ao, b, bw, bo, n) => {
        const y = b[bo]!, w0 = bw[2 * bo]!, w1 = bw[2 * bo + 1]!;
        const nan = +(y !== y);
        for (let i = 0; i < n; i++) {
          const m = -(+!(a[ao + i]! <= y) & ~nan);
          const wo = 2 * (oo + i), wa = 2 * (ao + i);
          ow[wo] = (aw[wa]! & m) | (w0 & ~m);
          ow[wo + 1] = (aw[wa + 1]! & m) | (w1 & ~m);
        }
      },
    },
    any: {
      s: (ow, oo, a, _aw, ao, as, b, _bw, bo, bs, n) => {
        for (let i = 0, ia = ao, ib = bo; i < n; i++, ia += as, ib += bs) {
          const x = a[ia]!, y = b[ib]!;
          const m = -(x > y);
          ow[oo + i] = (x & m) | (y & ~m);
        }
      },
      sb: (ow, oo, a, _aw, ao, b, _bw, bo, n) => {
        const y = b[bo]!;
        for (let i = 0; i < n; i++) {
          const x = a[ao + i]!;
          const m = -(x > y);
          ow[oo + i] = (x & m) | (y & ~m);
        }
      },
    },
  },
  minimum: {
    f32: {
      s: (ow, oo, a, aw, ao, as, b, bw, bo, bs, n) => {
        for (let i = 0, ia = ao, ib = bo; i < n; i++, ia += as, ib += bs) {
          const x = a[ia]!, y = b[ib]!;
          const m = -(+(x < y) | +(x !== x));
          ow[oo + i] = (aw[ia]! & m) | (bw[ib]! & ~m);
        }
      },
      sb: (ow, oo, a, aw, ao, b, bw, bo, n) => {
        const y = b[bo]!, w = bw[bo]!;
        if (y !== y) ow.fill(w, oo, oo + n);
        else {
          for (let i = 0; i < n; i++) {
            const m = -(+!(a[ao + i]! >= y));
            ow[oo + i] = (aw[ao + i]! & m) | (w & ~m);
          }
        }
      },
    },
    f64: {
      s: (ow, oo, a, aw, ao, as, b, bw, bo, bs, n) => {
        for (let i = 0, ia = ao, ib = bo; i < n; i++, ia += as, ib += bs) {
          const x = a[ia]!, y = b[ib]!;
          const m = -(+(x < y) | +(x !== x));
          const wo = 2 * (oo + i), wa = 2 * ia, wb = 2 * ib;
          ow[wo] = (aw[wa]! & m) | (bw[wb]! & ~m);
          ow[wo + 1] = (aw[wa + 1]! & m) | (bw[wb + 1]! & ~m);
        }
      },
      sb: (ow, oo, a, aw, ao, b, bw, bo, n) => {
        const y = b[bo]!, w0 = bw[2 * bo]!, w1 = bw[2 * bo + 1]!;
        const nan = +(y !== y);
        for (let i = 0; i < n; i++) {
          const m = -(+!(a[ao + i]! >= y) & ~nan);
          const wo = 2 * (oo + i), wa = 2 * (ao + i);
          ow[wo] = (aw[wa]! & m) | (w0 & ~m);
          ow[wo + 1] = (aw[wa + 1]! & m) | (w1 & ~m);
        }
      },
    },
    any: {
      s: (ow, oo, a, _aw, ao, as, b, _bw, bo, bs, n) => {
        for (let i = 0, ia = ao, ib = bo; i < n; i++, ia += as, ib += bs) {
          const x = a[ia]!, y = b[ib]!;
          const m = -(x < y);
          ow[oo + i] = (x & m) | (y & ~m);
        }
      },
      sb: (ow, oo, a, _aw, ao, b, _bw, bo, n) => {
        const y = b[bo]!;
        for (let i = 0; i < n; i++) {
          const x = a[ao + i]!;
          const m = -(x < y);
          ow[oo + i] = (x & m) | (y & ~m);
        }
      },
    },
  },
};

/** The loops of `where` for one word width: `c` everything contiguous, `s` strided. */
export interface WhereLoops {
  c(ow: A, oo: number, c: A, co: number, aw: A, ao: number, bw: A, bo: number, n: number): void;
  s(ow: A, oo: number, c: A, co: number, cs: number, aw: A, ao: number, as: number, bw: A, bo: number, bs: number, n: number): void;
}

/**
 * `out = c ? a : b`: `w32` one word per element, `w64` two, `values` a fallback on values (a
 * condition that is not bool storage, or operands of different storage).
 */
export const WHERE_LOOPS: Record<'w32' | 'w64' | 'values', WhereLoops> = {
  w32: {
    c: (ow, oo, c, co, aw, ao, bw, bo, n) => {
      for (let i = 0; i < n; i++) {
        const m = -(c[co + i] !== 0);
        ow[oo + i] = (aw[ao + i]! & m) | (bw[bo + i]! & ~m);
      }
    },
    s: (ow, oo, c, co, cs, aw, ao, as, bw, bo, bs, n) => {
      for (let i = 0, ic = co, ia = ao, ib = bo; i < n; i++, ic += cs, ia += as, ib += bs) {
        const m = -(c[ic] !== 0);
        ow[oo + i] = (aw[ia]! & m) | (bw[ib]! & ~m);
      }
    },
  },
  w64: {
    c: (ow, oo, c, co, aw, ao, bw, bo, n) => {
      for (let i = 0; i < n; i++) {
        const m = -(c[co + i] !== 0);
        const wo = 2 * (oo + i), wa = 2 * (ao + i), wb = 2 * (bo + i);
        ow[wo] = (aw[wa]! & m) | (bw[wb]! & ~m);
        ow[wo + 1] = (aw[wa + 1]! & m) | (bw[wb + 1]! & ~m);
      }
    },
    s: (ow, oo, c, co, cs, aw, ao, as, bw, bo, bs, n) => {
      for (let i = 0, ic = co, ia = ao, ib = bo; i < n; i++, ic += cs, ia += as, ib += bs) {
        const m = -(c[ic] !== 0);
        const wo = 2 * (oo + i), wa = 2 * ia, wb = 2 * ib;
        ow[wo] = (aw[wa]! & m) | (bw[wb]! & ~m);
        ow[wo + 1] = (aw[wa + 1]! & m) | (bw[wb + 1]! & ~m);
      }
    },
  },
  values: {
    c: (o, oo, c, co, a, ao, b, bo, n) => {
      for (let i = 0; i < n; i++) o[oo + i] = c[co + i] ? a[ao + i]! : b[bo + i]!;
    },
    s: (o, oo, c, co, cs, a, ao, as, b, bo, bs, n) => {
      for (let i = 0, ic = co, ia = ao, ib = bo; i < n; i++, ic += cs, ia += as, ib += bs) o[oo + i] = c[ic] ? a[ia]! : b[ib]!;
    },
  },
};

/**
 * The words of `arr` for the selecting loops: an Int32Array view of 4- and 8-byte storage (two
 * words per element for 8 bytes: `wide`), a Uint8Array view of 1-byte storage. Null for float16.
 */
export function wordsOf(arr: A): { w: A; wide: boolean } | null {
  const { buffer, byteOffset, length } = arr;
  if (arr instanceof Float32Array || arr instanceof Int32Array) return { w: new Int32Array(buffer, byteOffset, length), wide: false };
  if (arr instanceof Float64Array) return { w: new Int32Array(buffer, byteOffset, 2 * length), wide: true };
  if (arr instanceof Int8Array || arr instanceof Uint8Array) return { w: new Uint8Array(buffer, byteOffset, length), wide: false };
  return null;
}
