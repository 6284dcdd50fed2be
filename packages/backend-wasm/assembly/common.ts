/**
 * Shared helpers of the kernels: the argument block, dtype codes, conversions that follow
 * JavaScript typed-array store semantics (so results equal the cpu backend's), thread ranges
 * and the row odometer used by every strided kernel.
 *
 * Calling convention: every exported kernel is `(args: usize, tid: i32, nt: i32) => void`.
 * `args` points at f64 slots written by JS; `tid` / `nt` select this thread's share of the work.
 */

// dtype codes (must match src/dtype-codes.ts)
export const F32: i32 = 0;
export const F64: i32 = 1;
export const I32: i32 = 2;
export const I64: i32 = 3; // stored as integral float64
export const I8: i32 = 4;
export const U8: i32 = 5;
export const BOOL: i32 = 6; // 0/1 in a byte
export const F16: i32 = 7; // IEEE half bits in a u16

/** Argument slot `i` as a float. */
@inline export function arg(args: usize, i: i32): f64 {
  return load<f64>(args + (<usize>i << 3));
}
/** Argument slot `i` as a (signed) integer. */
@inline export function argI(args: usize, i: i32): i32 {
  return <i32>load<f64>(args + (<usize>i << 3));
}
/** Argument slot `i` as a pointer (unsigned). */
@inline export function argP(args: usize, i: i32): usize {
  return <usize>load<f64>(args + (<usize>i << 3));
}
/** Writes a result into argument slot `i` (read back by JS). */
@inline export function setArg(args: usize, i: i32, v: f64): void {
  store<f64>(args + (<usize>i << 3), v);
}

/** `i32` element `i` of an int array in memory. */
@inline export function geti(p: usize, i: i32): i32 {
  return load<i32>(p + (<usize>i << 2));
}
@inline export function seti(p: usize, i: i32, v: i32): void {
  store<i32>(p + (<usize>i << 2), v);
}

/** JavaScript's ToInt32: truncation toward zero, wrapping modulo 2^32; NaN and ±Infinity give 0. */
@inline export function toInt32(v: f64): i32 {
  if (v > -2147483649.0 && v < 2147483648.0) return <i32>v;
  if (!isFinite<f64>(v)) return 0;
  const t = trunc<f64>(v);
  const m = t - Math.floor(t / 4294967296.0) * 4294967296.0;
  return <i32>(<u32>m);
}

/** Converts a float to storage type T as a typed-array store would (floats round, ints wrap). */
@inline export function fromF64<T>(v: f64): T {
  if (isFloat<T>()) return <T>v;
  return <T>toInt32(v);
}

/** `[start, end)` of thread `tid`'s share of `n` items, in multiples of `grain`. */
@inline export function shareStart(n: i32, tid: i32, nt: i32, grain: i32): i32 {
  if (nt <= 1) return tid == 0 ? 0 : n;
  const units = (n + grain - 1) / grain;
  const s = <i32>((<i64>units * tid) / nt) * grain;
  return s < n ? s : n;
}
@inline export function shareEnd(n: i32, tid: i32, nt: i32, grain: i32): i32 {
  return tid + 1 >= nt ? n : shareStart(n, tid + 1, nt, grain);
}

/** Truthiness as JavaScript sees a number (0 and NaN are false). */
@inline export function truthy(x: f64): bool {
  return x == x && x != 0;
}

// ---------------------------------------------------------------- per-thread state
//
// Each thread owns THREAD_STATE_BYTES of scratch at `stateBase + tid · THREAD_STATE_BYTES`
// (odometer counters, small accumulators). JS reserves the region and calls `init` once per
// instance (wasm globals are per instance, memory is shared).

export const THREAD_STATE_BYTES: usize = 4096;
/** Offset of the f64 accumulator area inside a thread's state (up to ACC_COUNT values). */
export const ACC_OFFSET: usize = 1024;
export const ACC_COUNT: i32 = 384;

let stateBase: usize = 0;

/** Records where the per-thread state lives; every instance calls it once. */
export function init(base: usize): void {
  stateBase = base;
}

/** The scratch of thread `tid`. */
@inline export function threadState(tid: i32): usize {
  return stateBase + <usize>tid * THREAD_STATE_BYTES;
}

// ---------------------------------------------------------------- strided iteration
//
// A plan (i32 array) describes an N-d iteration over `dims` with up to 3 strided operands:
//   plan[0] = R, plan[1..R] = dims, then R strides (elements) per operand.
// Kernels walk rows (all dims but the last) with an odometer kept in per-thread scratch:
//   st[0..R-1] = multi-index, st[16 + k] = element offset of operand k at the row's start.

export const MAX_RANK: i32 = 16;

@inline export function planRank(plan: usize): i32 {
  return load<i32>(plan);
}
@inline export function planDim(plan: usize, d: i32): i32 {
  return geti(plan, 1 + d);
}
@inline export function planStride(plan: usize, k: i32, d: i32): i32 {
  const R = load<i32>(plan);
  return geti(plan, 1 + R + k * R + d);
}
/** Number of elements of the plan. */
export function planSize(plan: usize): i32 {
  const R = planRank(plan);
  let n = 1;
  for (let d = 0; d < R; d++) n *= planDim(plan, d);
  return n;
}

/** Positions the odometer at row `row` and computes the offsets of `nops` operands. */
export function rowSeek(plan: usize, st: usize, nops: i32, row: i32): void {
  const R = planRank(plan);
  for (let k = 0; k < nops; k++) seti(st, MAX_RANK + k, 0);
  let r = row;
  for (let d = R - 2; d >= 0; d--) {
    const n = planDim(plan, d);
    const i = r % n;
    r = r / n;
    seti(st, d, i);
    for (let k = 0; k < nops; k++) seti(st, MAX_RANK + k, geti(st, MAX_RANK + k) + i * planStride(plan, k, d));
  }
}

/** Advances the odometer by one row, updating the operand offsets. */
export function rowNext(plan: usize, st: usize, nops: i32): void {
  const R = planRank(plan);
  for (let d = R - 2; d >= 0; d--) {
    const n = planDim(plan, d);
    const i = geti(st, d) + 1;
    if (i < n) {
      seti(st, d, i);
      for (let k = 0; k < nops; k++) seti(st, MAX_RANK + k, geti(st, MAX_RANK + k) + planStride(plan, k, d));
      return;
    }
    seti(st, d, 0);
    for (let k = 0; k < nops; k++) seti(st, MAX_RANK + k, geti(st, MAX_RANK + k) - (n - 1) * planStride(plan, k, d));
  }
}

/** Offset of operand k at the current row. */
@inline export function rowOffset(st: usize, k: i32): i32 {
  return geti(st, MAX_RANK + k);
}
