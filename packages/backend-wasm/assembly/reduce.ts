/**
 * Reductions. The input is seen as [outer, m, inner] reducing m (JS coalesces the axes so
 * that one reduced block sits between kept ones), or, for scattered axes, through explicit
 * `bases` (one per output) and `offsets` (one per reduced element). Accumulation is in float64
 * for every dtype (as the cpu backend), results are stored with typed-array semantics.
 */
import {
  F32, F64, I32, I64, I8, argI, argP, fromF64, geti, shareStart, shareEnd, threadState, ACC_OFFSET, ACC_COUNT,
} from './common';

export const SUM: i32 = 0;
export const PROD: i32 = 1;
export const RMAX: i32 = 2;
export const RMIN: i32 = 3;
export const ARGMAX: i32 = 0;
export const ARGMIN: i32 = 1;

@inline function initial(op: i32): f64 {
  switch (op) {
    case SUM: return 0.0;
    case PROD: return 1.0;
    case RMAX: return -Infinity;
  }
  return Infinity;
}

@inline function step(op: i32, acc: f64, v: f64): f64 {
  switch (op) {
    case SUM: return acc + v;
    case PROD: return acc * v;
    case RMAX: return v > acc || v != v ? v : acc;
  }
  return v < acc || v != v ? v : acc;
}

/** Σ of m contiguous float32 values, accumulated in float64 (two f64x2 lanes pairs). */
function sumRowF32(p: usize, m: i32): f64 {
  let a0 = f64x2.splat(0.0);
  let a1 = f64x2.splat(0.0);
  let j = 0;
  for (; j + 4 <= m; j += 4) {
    const v = v128.load(p + (<usize>j << 2));
    a0 = f64x2.add(a0, f64x2.promote_low_f32x4(v));
    a1 = f64x2.add(a1, f64x2.promote_low_f32x4(f64x2.shuffle(v, v, 1, 0)));
  }
  const t = f64x2.add(a0, a1);
  let s = f64x2.extract_lane(t, 0) + f64x2.extract_lane(t, 1);
  for (; j < m; j++) s += <f64>load<f32>(p + (<usize>j << 2));
  return s;
}

@inline function reduceRows<T>(op: i32, x: usize, out: usize, o0: i32, o1: i32, m: i32): void {
  for (let o = o0; o < o1; o++) {
    const p = x + (<usize>o) * (<usize>m) * sizeof<T>();
    let acc: f64;
    if (op == SUM && sizeof<T>() == 4 && isFloat<T>()) {
      acc = sumRowF32(p, m);
    } else {
      acc = initial(op);
      for (let j = 0; j < m; j++) acc = step(op, acc, <f64>load<T>(p + (<usize>j) * sizeof<T>()));
    }
    store<T>(out + (<usize>o) * sizeof<T>(), fromF64<T>(acc));
  }
}

/** Column blocks: out[o, c] = reduce_j x[o, j, c] for the units [u0, u1) of (o, block). */
@inline function reduceCols<T>(op: i32, x: usize, out: usize, u0: i32, u1: i32, m: i32, inner: i32, acc: usize): void {
  const blocks = (inner + ACC_COUNT - 1) / ACC_COUNT;
  for (let u = u0; u < u1; u++) {
    const o = u / blocks;
    const c0 = (u - o * blocks) * ACC_COUNT;
    let c1 = c0 + ACC_COUNT;
    if (c1 > inner) c1 = inner;
    const w = c1 - c0;
    const init = initial(op);
    for (let c = 0; c < w; c++) store<f64>(acc + (<usize>c << 3), init);
    for (let j = 0; j < m; j++) {
      const row = x + ((<usize>o * <usize>m + <usize>j) * <usize>inner + <usize>c0) * sizeof<T>();
      for (let c = 0; c < w; c++) {
        const pa = acc + (<usize>c << 3);
        store<f64>(pa, step(op, load<f64>(pa), <f64>load<T>(row + (<usize>c) * sizeof<T>())));
      }
    }
    const po = out + (<usize>o * <usize>inner + <usize>c0) * sizeof<T>();
    for (let c = 0; c < w; c++) store<T>(po + (<usize>c) * sizeof<T>(), fromF64<T>(load<f64>(acc + (<usize>c << 3))));
  }
}

@inline function reduceScattered<T>(op: i32, x: usize, out: usize, o0: i32, o1: i32, bases: usize, offsets: usize, m: i32): void {
  for (let o = o0; o < o1; o++) {
    const base = geti(bases, o);
    let acc = initial(op);
    for (let j = 0; j < m; j++) acc = step(op, acc, <f64>load<T>(x + (<usize>(base + geti(offsets, j))) * sizeof<T>()));
    store<T>(out + (<usize>o) * sizeof<T>(), fromF64<T>(acc));
  }
}

@inline function reduceT<T>(op: i32, x: usize, out: usize, outer: i32, m: i32, inner: i32, bases: usize, offsets: usize, nOut: i32, tid: i32, nt: i32): void {
  if (bases != 0) {
    reduceScattered<T>(op, x, out, shareStart(nOut, tid, nt, 1), shareEnd(nOut, tid, nt, 1), bases, offsets, m);
  } else if (inner == 1) {
    reduceRows<T>(op, x, out, shareStart(outer, tid, nt, 1), shareEnd(outer, tid, nt, 1), m);
  } else {
    const units = outer * ((inner + ACC_COUNT - 1) / ACC_COUNT);
    const acc = threadState(tid) + ACC_OFFSET;
    reduceCols<T>(op, x, out, shareStart(units, tid, nt, 1), shareEnd(units, tid, nt, 1), m, inner, acc);
  }
}

@inline function reduceOp<T>(op: i32, x: usize, out: usize, outer: i32, m: i32, inner: i32, bases: usize, offsets: usize, nOut: i32, tid: i32, nt: i32): void {
  switch (op) {
    case SUM: reduceT<T>(SUM, x, out, outer, m, inner, bases, offsets, nOut, tid, nt); break;
    case PROD: reduceT<T>(PROD, x, out, outer, m, inner, bases, offsets, nOut, tid, nt); break;
    case RMAX: reduceT<T>(RMAX, x, out, outer, m, inner, bases, offsets, nOut, tid, nt); break;
    default: reduceT<T>(RMIN, x, out, outer, m, inner, bases, offsets, nOut, tid, nt);
  }
}

/**
 * reduce(op, dtype, x, out, outer, m, inner, bases, offsets, nOut): bases = 0 selects the
 * [outer, m, inner] form; otherwise out[o] = reduce_j x[bases[o] + offsets[j]], o < nOut.
 */
export function reduce(args: usize, tid: i32, nt: i32): void {
  const op = argI(args, 0);
  const dt = argI(args, 1);
  const x = argP(args, 2);
  const out = argP(args, 3);
  const outer = argI(args, 4);
  const m = argI(args, 5);
  const inner = argI(args, 6);
  const bases = argP(args, 7);
  const offsets = argP(args, 8);
  const nOut = argI(args, 9);
  switch (dt) {
    case F32: reduceOp<f32>(op, x, out, outer, m, inner, bases, offsets, nOut, tid, nt); break;
    case F64: case I64: reduceOp<f64>(op, x, out, outer, m, inner, bases, offsets, nOut, tid, nt); break;
    case I32: reduceOp<i32>(op, x, out, outer, m, inner, bases, offsets, nOut, tid, nt); break;
    case I8: reduceOp<i8>(op, x, out, outer, m, inner, bases, offsets, nOut, tid, nt); break;
    default: reduceOp<u8>(op, x, out, outer, m, inner, bases, offsets, nOut, tid, nt);
  }
}

@inline function argT<T>(op: i32, x: usize, out: usize, o0: i32, o1: i32, m: i32, inner: i32): void {
  for (let u = o0; u < o1; u++) {
    const o = u / inner;
    const c = u - o * inner;
    const base = x + ((<usize>o * <usize>m) * <usize>inner + <usize>c) * sizeof<T>();
    const stride = <usize>inner * sizeof<T>();
    let best = <f64>load<T>(base);
    let bi = 0;
    for (let j = 1; j < m; j++) {
      if (best != best) break; // NaN wins, as in PyTorch
      const v = <f64>load<T>(base + <usize>j * stride);
      if ((op == ARGMAX ? v > best : v < best) || v != v) {
        best = v;
        bi = j;
      }
    }
    store<f64>(out + (<usize>u << 3), <f64>bi);
  }
}

/** argReduce(op, dtype, x, out, outer, m, inner): int64 index of the first max/min along m. */
export function argReduce(args: usize, tid: i32, nt: i32): void {
  const op = argI(args, 0);
  const dt = argI(args, 1);
  const x = argP(args, 2);
  const out = argP(args, 3);
  const outer = argI(args, 4);
  const m = argI(args, 5);
  const inner = argI(args, 6);
  const n = outer * inner;
  const s = shareStart(n, tid, nt, 1);
  const e = shareEnd(n, tid, nt, 1);
  switch (dt) {
    case F32: argT<f32>(op, x, out, s, e, m, inner); break;
    case F64: case I64: argT<f64>(op, x, out, s, e, m, inner); break;
    case I32: argT<i32>(op, x, out, s, e, m, inner); break;
    case I8: argT<i8>(op, x, out, s, e, m, inner); break;
    default: argT<u8>(op, x, out, s, e, m, inner);
  }
}
