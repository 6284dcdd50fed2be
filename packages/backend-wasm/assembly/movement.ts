/**
 * Movement kernels. They move raw elements of 1, 2, 4 or 8 bytes, so one instantiation per
 * element size serves every dtype (float16 included); only scatter-add does arithmetic.
 */
import {
  F32, F64, I32, I64, I8, BOOL, argI, argP, fromF64, geti, shareStart, shareEnd, threadState, seti,
  planRank, planDim, planStride, planSize, rowSeek, rowNext, rowOffset, MAX_RANK,
} from './common';

@inline function segCopy<T>(src: usize, ss: i32, dst: usize, ds: i32, len: i32): void {
  if (ss == 1 && ds == 1) {
    memory.copy(dst, src, <usize>len * sizeof<T>());
    return;
  }
  for (let j = 0; j < len; j++) {
    store<T>(dst + (<usize>(j * ds)) * sizeof<T>(), load<T>(src + (<usize>(j * ss)) * sizeof<T>()));
  }
}

/**
 * copyStrided(esize, src, dst, plan, srcBase, dstBase): for every index i of the plan's dims,
 * dst[dstBase + i·dstStrides] = src[srcBase + i·srcStrides] (operand 0 = src, 1 = dst).
 * Serves transpose, slice (negative steps too), broadcastTo, concat and constant padding.
 */
export function copyStrided(args: usize, tid: i32, nt: i32): void {
  const es = argI(args, 0);
  const src = argP(args, 1);
  const dst = argP(args, 2);
  const plan = argP(args, 3);
  const srcBase = argI(args, 4);
  const dstBase = argI(args, 5);
  const n = planSize(plan);
  const s = shareStart(n, tid, nt, 64);
  const e = shareEnd(n, tid, nt, 64);
  if (s >= e) return;
  const R = planRank(plan);
  const inner = planDim(plan, R - 1);
  const ss = planStride(plan, 0, R - 1);
  const ds = planStride(plan, 1, R - 1);
  const st = threadState(tid);
  const esz = <usize>es;
  let row = s / inner;
  let col = s - row * inner;
  rowSeek(plan, st, 2, row);
  let f = s;
  while (f < e) {
    let len = inner - col;
    if (len > e - f) len = e - f;
    const ps = src + <usize>(srcBase + rowOffset(st, 0) + col * ss) * esz;
    const pd = dst + <usize>(dstBase + rowOffset(st, 1) + col * ds) * esz;
    switch (es) {
      case 8: segCopy<u64>(ps, ss, pd, ds, len); break;
      case 4: segCopy<u32>(ps, ss, pd, ds, len); break;
      case 2: segCopy<u16>(ps, ss, pd, ds, len); break;
      default: segCopy<u8>(ps, ss, pd, ds, len);
    }
    f += len;
    col = 0;
    if (f < e) rowNext(plan, st, 2);
  }
}

@inline function fillT<T>(dst: usize, s: i32, e: i32, value: T): void {
  for (let i = s; i < e; i++) store<T>(dst + (<usize>i) * sizeof<T>(), value);
}

/** fill(esize, dst, n, valuePtr): dst[i] = *valuePtr for i < n. */
export function fill(args: usize, tid: i32, nt: i32): void {
  const es = argI(args, 0);
  const dst = argP(args, 1);
  const n = argI(args, 2);
  const vp = argP(args, 3);
  const s = shareStart(n, tid, nt, 64);
  const e = shareEnd(n, tid, nt, 64);
  if (s >= e) return;
  switch (es) {
    case 8: fillT<u64>(dst, s, e, load<u64>(vp)); break;
    case 4: fillT<u32>(dst, s, e, load<u32>(vp)); break;
    case 2: fillT<u16>(dst, s, e, load<u16>(vp)); break;
    default: memory.fill(dst + <usize>s, load<u8>(vp), <usize>(e - s));
  }
}

@inline function segMapped<T>(src: usize, base: i32, map: usize, dst: usize, len: i32): void {
  for (let j = 0; j < len; j++) {
    store<T>(dst + (<usize>j) * sizeof<T>(), load<T>(src + (<usize>(base + geti(map, j))) * sizeof<T>()));
  }
}

/**
 * padMapped(esize, src, dst, plan, maps): reflect / edge padding. The plan holds the output
 * dims (no strides); `maps` holds, per dim, the source element offset of every output index
 * (input index · input stride), dims concatenated.
 */
export function padMapped(args: usize, tid: i32, nt: i32): void {
  const es = argI(args, 0);
  const src = argP(args, 1);
  const dst = argP(args, 2);
  const plan = argP(args, 3);
  const maps = argP(args, 4);
  const R = planRank(plan);
  const inner = planDim(plan, R - 1);
  let rows = 1;
  for (let d = 0; d < R - 1; d++) rows *= planDim(plan, d);
  const r0 = shareStart(rows, tid, nt, 1);
  const r1 = shareEnd(rows, tid, nt, 1);
  if (r0 >= r1) return;
  const st = threadState(tid);
  // start of each dim's map
  let acc = 0;
  for (let d = 0; d < R; d++) {
    seti(st, MAX_RANK + d, acc);
    acc += planDim(plan, d);
  }
  let r = r0;
  for (let d = R - 2; d >= 0; d--) {
    const n = planDim(plan, d);
    seti(st, d, r % n);
    r = r / n;
  }
  const lastMap = maps + (<usize>geti(st, MAX_RANK + R - 1) << 2);
  const esz = <usize>es;
  for (let row = r0; row < r1; row++) {
    let base = 0;
    for (let d = 0; d < R - 1; d++) base += geti(maps, geti(st, MAX_RANK + d) + geti(st, d));
    const pd = dst + <usize>row * <usize>inner * esz;
    switch (es) {
      case 8: segMapped<u64>(src, base, lastMap, pd, inner); break;
      case 4: segMapped<u32>(src, base, lastMap, pd, inner); break;
      case 2: segMapped<u16>(src, base, lastMap, pd, inner); break;
      default: segMapped<u8>(src, base, lastMap, pd, inner);
    }
    for (let d = R - 2; d >= 0; d--) {
      const i = geti(st, d) + 1;
      if (i < planDim(plan, d)) {
        seti(st, d, i);
        break;
      }
      seti(st, d, 0);
    }
  }
}

@inline function loadIndex(idx: usize, i: i32, wide: bool): i32 {
  return wide ? <i32>load<f64>(idx + (<usize>i << 3)) : load<i32>(idx + (<usize>i << 2));
}

@inline function segGather<T>(x: usize, sx: i32, idx: usize, wide: bool, axisStride: i32, out: usize, len: i32): void {
  for (let j = 0; j < len; j++) {
    const k = loadIndex(idx, j, wide);
    store<T>(out + (<usize>j) * sizeof<T>(), load<T>(x + (<usize>(j * sx + k * axisStride)) * sizeof<T>()));
  }
}

/**
 * gather(esize, wide, x, idx, out, plan, axisStride): torch.gather. The plan iterates the
 * index shape with x's strides (0 along axis); out/idx are contiguous; indices are checked by
 * JS. `wide` = int64 indices.
 */
export function gather(args: usize, tid: i32, nt: i32): void {
  const es = argI(args, 0);
  const wide = argI(args, 1) != 0;
  const x = argP(args, 2);
  const idx = argP(args, 3);
  const out = argP(args, 4);
  const plan = argP(args, 5);
  const axisStride = argI(args, 6);
  const n = planSize(plan);
  const s = shareStart(n, tid, nt, 64);
  const e = shareEnd(n, tid, nt, 64);
  if (s >= e) return;
  const R = planRank(plan);
  const inner = planDim(plan, R - 1);
  const sx = planStride(plan, 0, R - 1);
  const st = threadState(tid);
  const esz = <usize>es;
  const isz: usize = wide ? 8 : 4;
  let row = s / inner;
  let col = s - row * inner;
  rowSeek(plan, st, 1, row);
  let f = s;
  while (f < e) {
    let len = inner - col;
    if (len > e - f) len = e - f;
    const px = x + <usize>(rowOffset(st, 0) + col * sx) * esz;
    const pi = idx + <usize>f * isz;
    const po = out + <usize>f * esz;
    switch (es) {
      case 8: segGather<u64>(px, sx, pi, wide, axisStride, po, len); break;
      case 4: segGather<u32>(px, sx, pi, wide, axisStride, po, len); break;
      case 2: segGather<u16>(px, sx, pi, wide, axisStride, po, len); break;
      default: segGather<u8>(px, sx, pi, wide, axisStride, po, len);
    }
    f += len;
    col = 0;
    if (f < e) rowNext(plan, st, 1);
  }
}

/**
 * indexSelect(esize, x, idx (int32), out, outer, dim, inner, n):
 * out[o, t, :] = x[o, idx[t], :] for o < outer, t < n (runs of `inner` elements).
 */
export function indexSelect(args: usize, tid: i32, nt: i32): void {
  const es = <usize>argI(args, 0);
  const x = argP(args, 1);
  const idx = argP(args, 2);
  const out = argP(args, 3);
  const outer = argI(args, 4);
  const dim = argI(args, 5);
  const inner = argI(args, 6);
  const n = argI(args, 7);
  const units = outer * n;
  const s = shareStart(units, tid, nt, 1);
  const e = shareEnd(units, tid, nt, 1);
  const run = <usize>inner * es;
  for (let u = s; u < e; u++) {
    const o = u / n;
    const t = u - o * n;
    const from = x + (<usize>o * <usize>dim + <usize>geti(idx, t)) * run;
    memory.copy(out + <usize>u * run, from, run);
  }
}

@inline function segScatter<T>(out: usize, so: i32, idx: usize, wide: bool, axisStride: i32, src: usize, ss: i32, len: i32, add: bool, isBool: bool): void {
  for (let j = 0; j < len; j++) {
    const k = loadIndex(idx, j, wide);
    const pd = out + (<usize>(j * so + k * axisStride)) * sizeof<T>();
    const v = load<T>(src + (<usize>(j * ss)) * sizeof<T>());
    if (!add) store<T>(pd, v);
    else if (isBool) store<T>(pd, <T>(load<T>(pd) != 0 || v != 0 ? 1 : 0));
    else store<T>(pd, fromF64<T>(<f64>load<T>(pd) + <f64>v));
  }
}

/**
 * scatter(dtype, esize, add, wide, out, idx, src, plan, axisStride): out (already a copy of x)
 * [.. idx ..] = (or +=) src, iterating the index shape; plan operand 0 = out strides (0 along
 * axis), operand 1 = src strides. Single-threaded (indices may collide).
 */
export function scatter(args: usize, tid: i32, nt: i32): void {
  if (tid != 0) return;
  const dt = argI(args, 0);
  const es = argI(args, 1);
  const add = argI(args, 2) != 0;
  const wide = argI(args, 3) != 0;
  const out = argP(args, 4);
  const idx = argP(args, 5);
  const src = argP(args, 6);
  const plan = argP(args, 7);
  const axisStride = argI(args, 8);
  const n = planSize(plan);
  if (n == 0) return;
  const R = planRank(plan);
  const inner = planDim(plan, R - 1);
  const so = planStride(plan, 0, R - 1);
  const ss = planStride(plan, 1, R - 1);
  const st = threadState(0);
  const esz = <usize>es;
  const isz: usize = wide ? 8 : 4;
  rowSeek(plan, st, 2, 0);
  for (let f = 0; f < n; f += inner) {
    const po = out + <usize>rowOffset(st, 0) * esz;
    const pi = idx + <usize>f * isz;
    const ps = src + <usize>rowOffset(st, 1) * esz;
    if (!add) {
      switch (es) {
        case 8: segScatter<u64>(po, so, pi, wide, axisStride, ps, ss, inner, false, false); break;
        case 4: segScatter<u32>(po, so, pi, wide, axisStride, ps, ss, inner, false, false); break;
        case 2: segScatter<u16>(po, so, pi, wide, axisStride, ps, ss, inner, false, false); break;
        default: segScatter<u8>(po, so, pi, wide, axisStride, ps, ss, inner, false, false);
      }
    } else {
      switch (dt) {
        case F32: segScatter<f32>(po, so, pi, wide, axisStride, ps, ss, inner, true, false); break;
        case F64: case I64: segScatter<f64>(po, so, pi, wide, axisStride, ps, ss, inner, true, false); break;
        case I32: segScatter<i32>(po, so, pi, wide, axisStride, ps, ss, inner, true, false); break;
        case I8: segScatter<i8>(po, so, pi, wide, axisStride, ps, ss, inner, true, false); break;
        case BOOL: segScatter<u8>(po, so, pi, wide, axisStride, ps, ss, inner, true, true); break;
        default: segScatter<u8>(po, so, pi, wide, axisStride, ps, ss, inner, true, false);
      }
    }
    if (f + inner < n) rowNext(plan, st, 2);
  }
}
