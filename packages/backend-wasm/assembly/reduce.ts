/**
 * Reductions. The input is seen as [lead, outer, m, inner] reducing lead and m (JS coalesces
 * the axes so that at most two reduced blocks sit around one kept block, e.g. [N, C, H·W] → [C]
 * for a conv bias gradient), or, for other scattered axes, through explicit `bases` (one per
 * output) and `offsets` (one per reduced element). Accumulation is in float64 for every dtype
 * and in the row-major order of the reduced elements (as the cpu backend; float32 sums of one
 * contiguous row use four lanes), results are stored with typed-array semantics.
 */
import {
  F32, F64, I32, I64, I8, argI, argP, fromF64, geti, shareStart, shareEnd, threadState, ACC_OFFSET, ACC_COUNT,
} from './common';
import { SUM, PROD, MAX, MIN, ARGMAX, ARGMIN } from './op-codes';

@inline function initial(op: i32): f64 {
  switch (op) {
    case SUM: return 0.0;
    case PROD: return 1.0;
    case MAX: return -Infinity;
  }
  return Infinity;
}

@inline function step(op: i32, acc: f64, v: f64): f64 {
  switch (op) {
    case SUM: return acc + v;
    case PROD: return acc * v;
    case MAX: return v > acc || v != v ? v : acc;
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

/**
 * Output rows `[o0, o1)` of the [lead, outer, m] form (inner = 1): out[o] folds
 * x[i, o, j] over i < lead, then j < m (row-major, as the cpu backend). float32 sums of single
 * rows (lead = 1) use `sumRowF32`; everything else folds sequentially, four outputs at a time.
 */
@inline function reduceRows<T>(op: i32, x: usize, out: usize, o0: i32, o1: i32, lead: i32, outer: i32, m: i32): void {
  if (op == SUM && sizeof<T>() == 4 && isFloat<T>() && lead == 1) {
    for (let o = o0; o < o1; o++) {
      store<T>(out + (<usize>o) * sizeof<T>(), fromF64<T>(sumRowF32(x + (<usize>o) * (<usize>m) * sizeof<T>(), m)));
    }
    return;
  }
  const rowBytes = (<usize>m) * sizeof<T>();
  const leadBytes = (<usize>outer) * rowBytes;
  let o = o0;
  for (; o + 4 <= o1; o += 4) reduceRows4<T>(op, x + (<usize>o) * rowBytes, out + (<usize>o) * sizeof<T>(), lead, leadBytes, m);
  for (; o < o1; o++) {
    const p = x + (<usize>o) * rowBytes;
    let acc = initial(op);
    for (let i = 0; i < lead; i++) {
      const r = p + (<usize>i) * leadBytes;
      for (let j = 0; j < m; j++) acc = step(op, acc, <f64>load<T>(r + (<usize>j) * sizeof<T>()));
    }
    store<T>(out + (<usize>o) * sizeof<T>(), fromF64<T>(acc));
  }
}

/**
 * Four adjacent output rows (starting at `x`, `lead` blocks `leadBytes` apart): four independent
 * accumulation chains (instruction-level parallelism), each in the order of one row alone.
 */
@inline function reduceRows4<T>(op: i32, x: usize, out: usize, lead: i32, leadBytes: usize, m: i32): void {
  const rowBytes = (<usize>m) * sizeof<T>();
  let a0 = initial(op);
  let a1 = a0;
  let a2 = a0;
  let a3 = a0;
  for (let i = 0; i < lead; i++) {
    const r = x + (<usize>i) * leadBytes;
    for (let j = 0; j < m; j++) {
      const p = r + (<usize>j) * sizeof<T>();
      a0 = step(op, a0, <f64>load<T>(p));
      a1 = step(op, a1, <f64>load<T>(p + rowBytes));
      a2 = step(op, a2, <f64>load<T>(p + 2 * rowBytes));
      a3 = step(op, a3, <f64>load<T>(p + 3 * rowBytes));
    }
  }
  store<T>(out, fromF64<T>(a0));
  store<T>(out + sizeof<T>(), fromF64<T>(a1));
  store<T>(out + 2 * sizeof<T>(), fromF64<T>(a2));
  store<T>(out + 3 * sizeof<T>(), fromF64<T>(a3));
}

/** `step` on two float64 lanes (the same NaN rules: NaN propagates through max and min). */
@inline function stepF64x2(op: i32, acc: v128, v: v128): v128 {
  switch (op) {
    case SUM: return f64x2.add(acc, v);
    case PROD: return f64x2.mul(acc, v);
    case MAX: return v128.bitselect(v, acc, v128.or(f64x2.gt(v, acc), f64x2.ne(v, v)));
  }
  return v128.bitselect(v, acc, v128.or(f64x2.lt(v, acc), f64x2.ne(v, v)));
}

/** Two elements of a float row at `p` as float64 lanes. */
@inline function loadF64x2<T>(p: usize): v128 {
  if (sizeof<T>() == 4) return f64x2.promote_low_f32x4(v128.load64_zero(p));
  return v128.load(p);
}

/** acc[c] = step(acc[c], row[c]) for c < w: float32 / float64 two lanes at a time. */
@inline function accumulateRow<T>(op: i32, acc: usize, row: usize, w: i32): void {
  let c = 0;
  if (isFloat<T>()) {
    for (; c + 2 <= w; c += 2) {
      const pa = acc + (<usize>c << 3);
      v128.store(pa, stepF64x2(op, v128.load(pa), loadF64x2<T>(row + (<usize>c) * sizeof<T>())));
    }
  }
  for (; c < w; c++) {
    const pa = acc + (<usize>c << 3);
    store<f64>(pa, step(op, load<f64>(pa), <f64>load<T>(row + (<usize>c) * sizeof<T>())));
  }
}

/**
 * Column blocks of the [lead, outer, m, inner] form: out[o, c] folds x[i, o, j, c] over i, then
 * j, for the units [u0, u1) of (o, block of ACC_COUNT columns).
 */
@inline function reduceCols<T>(op: i32, x: usize, out: usize, u0: i32, u1: i32, lead: i32, outer: i32, m: i32, inner: i32, acc: usize): void {
  const blocks = (inner + ACC_COUNT - 1) / ACC_COUNT;
  const leadBytes = (<usize>outer * <usize>m * <usize>inner) * sizeof<T>();
  for (let u = u0; u < u1; u++) {
    const o = u / blocks;
    const c0 = (u - o * blocks) * ACC_COUNT;
    let c1 = c0 + ACC_COUNT;
    if (c1 > inner) c1 = inner;
    const w = c1 - c0;
    const init = initial(op);
    for (let c = 0; c < w; c++) store<f64>(acc + (<usize>c << 3), init);
    for (let i = 0; i < lead; i++) {
      const base = x + (<usize>i) * leadBytes;
      for (let j = 0; j < m; j++) {
        accumulateRow<T>(op, acc, base + ((<usize>o * <usize>m + <usize>j) * <usize>inner + <usize>c0) * sizeof<T>(), w);
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

@inline function reduceT<T>(op: i32, x: usize, out: usize, lead: i32, outer: i32, m: i32, inner: i32, bases: usize, offsets: usize, nOut: i32, tid: i32, nt: i32): void {
  if (bases != 0) {
    reduceScattered<T>(op, x, out, shareStart(nOut, tid, nt, 1), shareEnd(nOut, tid, nt, 1), bases, offsets, m);
  } else if (inner == 1) {
    reduceRows<T>(op, x, out, shareStart(outer, tid, nt, 1), shareEnd(outer, tid, nt, 1), lead, outer, m);
  } else {
    const units = outer * ((inner + ACC_COUNT - 1) / ACC_COUNT);
    const acc = threadState(tid) + ACC_OFFSET;
    reduceCols<T>(op, x, out, shareStart(units, tid, nt, 1), shareEnd(units, tid, nt, 1), lead, outer, m, inner, acc);
  }
}

/** One dtype's reductions: a function per T, each op inlined with a constant op code. */
function reduceOp<T>(op: i32, x: usize, out: usize, lead: i32, outer: i32, m: i32, inner: i32, bases: usize, offsets: usize, nOut: i32, tid: i32, nt: i32): void {
  switch (op) {
    case SUM: reduceT<T>(SUM, x, out, lead, outer, m, inner, bases, offsets, nOut, tid, nt); break;
    case PROD: reduceT<T>(PROD, x, out, lead, outer, m, inner, bases, offsets, nOut, tid, nt); break;
    case MAX: reduceT<T>(MAX, x, out, lead, outer, m, inner, bases, offsets, nOut, tid, nt); break;
    default: reduceT<T>(MIN, x, out, lead, outer, m, inner, bases, offsets, nOut, tid, nt);
  }
}

/**
 * reduce(op, dtype, x, out, outer, m, inner, bases, offsets, nOut, lead): bases = 0 selects the
 * [lead, outer, m, inner] form reducing lead and m (lead = 1: [outer, m, inner] reducing m);
 * otherwise out[o] = reduce_j x[bases[o] + offsets[j]], o < nOut.
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
  const lead = argI(args, 10);
  switch (dt) {
    case F32: reduceOp<f32>(op, x, out, lead, outer, m, inner, bases, offsets, nOut, tid, nt); break;
    case F64: case I64: reduceOp<f64>(op, x, out, lead, outer, m, inner, bases, offsets, nOut, tid, nt); break;
    case I32: reduceOp<i32>(op, x, out, lead, outer, m, inner, bases, offsets, nOut, tid, nt); break;
    case I8: reduceOp<i8>(op, x, out, lead, outer, m, inner, bases, offsets, nOut, tid, nt); break;
    default: reduceOp<u8>(op, x, out, lead, outer, m, inner, bases, offsets, nOut, tid, nt);
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
