/**
 * Max pooling fast paths (core's `maxPool2d` / `maxPool2dBackward`): values and the first
 * maximum's window-local index in one pass, and the gradient scattered back through those
 * indices. Planes (n, c) are split between threads. Padding reads as -∞; a NaN is the maximum
 * (the first NaN wins), as in the composed `argmax`.
 */
import { F32, I8, argI, argP, shareEnd, shareStart } from './common';

// The window geometry (argument slots 4..16, shared by both kernels), in globals: wasm globals
// are per instance, so every thread has its own (no heap objects: JS owns the heap).
let planes: i32 = 0, H: i32 = 0, W: i32 = 0, oh: i32 = 0, ow: i32 = 0, kh: i32 = 0, kw: i32 = 0;
let sh: i32 = 0, sw: i32 = 0, pt: i32 = 0, pl: i32 = 0, dh: i32 = 0, dw: i32 = 0;

@inline function readGeometry(args: usize): void {
  planes = argI(args, 4); H = argI(args, 5); W = argI(args, 6); oh = argI(args, 7); ow = argI(args, 8);
  kh = argI(args, 9); kw = argI(args, 10); sh = argI(args, 11); sw = argI(args, 12);
  pt = argI(args, 13); pl = argI(args, 14); dh = argI(args, 15); dw = argI(args, 16);
}

/** Folds candidate `v` (window position `j`) into the running maximum: the first NaN or the first strict maximum wins. */
@inline function better<T>(best: T, v: T): bool {
  // bitwise, not short-circuit: random data would mispredict a branch per element
  return ((<i32>(best == best)) & ((<i32>(v > best)) | (<i32>(v != v)))) != 0;
}

/** Lanes where candidate `c` beats `best` (the first NaN, else a strict maximum). */
@inline function beats(best: v128, c: v128): v128 {
  return v128.and(f32x4.eq(best, best), v128.or(f32x4.gt(c, best), f32x4.ne(c, c)));
}

/**
 * float32, 2×2 window, stride 2, no dilation: the four outputs `ox..ox+3` of a row at once (their
 * windows inside the image), from input rows `r0`, `r1`; shuffles split even and odd columns.
 */
@inline function pool2x2F32x4(r0: usize, r1: usize, y: usize, idx: usize): void {
  const a0 = v128.load(r0), b0 = v128.load(r0, 16), a1 = v128.load(r1), b1 = v128.load(r1, 16);
  let best = i8x16.shuffle(a0, b0, 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27);
  let bi = i32x4.splat(0);
  let c = i8x16.shuffle(a0, b0, 4, 5, 6, 7, 12, 13, 14, 15, 20, 21, 22, 23, 28, 29, 30, 31);
  let m = beats(best, c);
  best = v128.bitselect(c, best, m);
  bi = v128.bitselect(i32x4.splat(1), bi, m);
  c = i8x16.shuffle(a1, b1, 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27);
  m = beats(best, c);
  best = v128.bitselect(c, best, m);
  bi = v128.bitselect(i32x4.splat(2), bi, m);
  c = i8x16.shuffle(a1, b1, 4, 5, 6, 7, 12, 13, 14, 15, 20, 21, 22, 23, 28, 29, 30, 31);
  m = beats(best, c);
  v128.store(y, v128.bitselect(c, best, m));
  v128.store(idx, v128.bitselect(i32x4.splat(3), bi, m));
}

@inline function poolPlane<T>(x: usize, y: usize, idx: usize): void {
  const es = <usize>sizeof<T>();
  const two = kh == 2 && kw == 2 && dh == 1 && dw == 1;
  const rowStep = <usize>(dh * W) * es;
  const simd2 = isFloat<T>() && sizeof<T>() == 4 && two && sw == 2;
  for (let oy = 0; oy < oh; oy++) {
    const iy0 = oy * sh - pt;
    const rowsIn = iy0 >= 0 && iy0 + (kh - 1) * dh < H;
    let ox = 0;
    if (simd2 && rowsIn) {
      // the first output whose window starts inside the image, then groups of four inside it
      while (ox < ow && ox * 2 - pl < 0) {
        poolOne<T>(x, y, idx, oy, ox, iy0, rowsIn, two, rowStep);
        ox++;
      }
      const row0 = x + <usize>(iy0 * W) * 4, row1 = row0 + rowStep;
      for (; ox + 4 <= ow && (ox + 3) * 2 - pl + 1 < W; ox += 4) {
        const c = <usize>(ox * 2 - pl) << 2, o = <usize>(oy * ow + ox) << 2;
        pool2x2F32x4(row0 + c, row1 + c, y + o, idx + o);
      }
    }
    for (; ox < ow; ox++) poolOne<T>(x, y, idx, oy, ox, iy0, rowsIn, two, rowStep);
  }
}

/** One output of a plane (any geometry), scalar. */
@inline function poolOne<T>(x: usize, y: usize, idx: usize, oy: i32, ox: i32, iy0: i32, rowsIn: bool, two: bool, rowStep: usize): void {
  const negInf = <T>-Infinity;
  const es = <usize>sizeof<T>();
  const ix0 = ox * sw - pl;
  let best: T = negInf;
  let bi = 0;
  if (rowsIn && ix0 >= 0 && ix0 + (kw - 1) * dw < W) {
    // the window lies inside the image: no bounds checks
    const p = x + <usize>(iy0 * W + ix0) * es;
    if (two) {
      best = load<T>(p);
      let v = load<T>(p + es);
      { const c = better<T>(best, v); best = select<T>(v, best, c); bi = select<i32>(1, bi, c); }
      v = load<T>(p + rowStep);
      { const c = better<T>(best, v); best = select<T>(v, best, c); bi = select<i32>(2, bi, c); }
      v = load<T>(p + rowStep + es);
      { const c = better<T>(best, v); best = select<T>(v, best, c); bi = select<i32>(3, bi, c); }
    } else {
      let j = 0;
      for (let ki = 0; ki < kh; ki++) {
        const r = p + <usize>ki * rowStep;
        for (let kj = 0; kj < kw; kj++, j++) {
          const v = load<T>(r + <usize>(kj * dw) * es);
          const c = j == 0 || better<T>(best, v);
          best = select<T>(v, best, c);
          bi = select<i32>(j, bi, c);
        }
      }
    }
  } else {
    let j = 0;
    for (let ki = 0; ki < kh; ki++) {
      const iy = iy0 + ki * dh;
      const rowIn = iy >= 0 && iy < H;
      for (let kj = 0; kj < kw; kj++, j++) {
        const ix = ix0 + kj * dw;
        const v: T = rowIn && ix >= 0 && ix < W ? load<T>(x + (<usize>(iy * W + ix)) * es) : negInf;
        const c = j == 0 || better<T>(best, v);
        best = select<T>(v, best, c);
        bi = select<i32>(j, bi, c);
      }
    }
  }
  const o = <usize>(oy * ow + ox);
  store<T>(y + o * es, best);
  store<i32>(idx + (o << 2), bi);
}

/**
 * float32, 2×2 windows at stride 2 (no overlap): the four outputs `ox..ox+3` write their rows of
 * the gradient at once — `dy` where the index picks the position, else 0 — interleaving even and
 * odd columns back by shuffles.
 */
@inline function grad2x2F32x4(dy: usize, idx: usize, r0: usize, r1: usize): void {
  const g = v128.load(dy), j = v128.load(idx);
  const zero = f32x4.splat(0);
  const e0 = v128.bitselect(g, zero, i32x4.eq(j, i32x4.splat(0)));
  const o0 = v128.bitselect(g, zero, i32x4.eq(j, i32x4.splat(1)));
  const e1 = v128.bitselect(g, zero, i32x4.eq(j, i32x4.splat(2)));
  const o1 = v128.bitselect(g, zero, i32x4.eq(j, i32x4.splat(3)));
  v128.store(r0, i8x16.shuffle(e0, o0, 0, 1, 2, 3, 16, 17, 18, 19, 4, 5, 6, 7, 20, 21, 22, 23));
  v128.store(r0, i8x16.shuffle(e0, o0, 8, 9, 10, 11, 24, 25, 26, 27, 12, 13, 14, 15, 28, 29, 30, 31), 16);
  v128.store(r1, i8x16.shuffle(e1, o1, 0, 1, 2, 3, 16, 17, 18, 19, 4, 5, 6, 7, 20, 21, 22, 23));
  v128.store(r1, i8x16.shuffle(e1, o1, 8, 9, 10, 11, 24, 25, 26, 27, 12, 13, 14, 15, 28, 29, 30, 31), 16);
}

@inline function gradPlane<T>(dy: usize, idx: usize, dx: usize): void {
  memory.fill(dx, 0, <usize>(H * W) * sizeof<T>());
  const simd2 = isFloat<T>() && sizeof<T>() == 4 && kh == 2 && kw == 2 && dh == 1 && dw == 1 && sh == 2 && sw == 2;
  for (let oy = 0; oy < oh; oy++) {
    let ox = 0;
    const iy0 = oy * 2 - pt;
    if (simd2 && iy0 >= 0 && iy0 + 1 < H) {
      // skip outputs whose window starts in the left padding (scalar below), then groups of four
      while (ox < ow && ox * 2 - pl < 0) ox++;
      const first = ox;
      const row0 = dx + <usize>(iy0 * W) * 4, row1 = row0 + <usize>(W << 2);
      for (; ox + 4 <= ow && (ox + 3) * 2 - pl + 1 < W; ox += 4) {
        const o = <usize>(oy * ow + ox) << 2, c = <usize>(ox * 2 - pl) << 2;
        grad2x2F32x4(dy + o, idx + o, row0 + c, row1 + c);
      }
      for (let q = 0; q < first; q++) gradOne<T>(dy, idx, dx, oy, q);
    }
    for (; ox < ow; ox++) gradOne<T>(dy, idx, dx, oy, ox);
  }
}

/** Adds one output's gradient at its window's maximum (scalar, any geometry). */
@inline function gradOne<T>(dy: usize, idx: usize, dx: usize, oy: i32, ox: i32): void {
  const o = <usize>(oy * ow + ox);
  const j = load<i32>(idx + (o << 2));
  const ki = j / kw;
  const iy = oy * sh - pt + ki * dh;
  const ix = ox * sw - pl + (j - ki * kw) * dw;
  if (iy < 0 || iy >= H || ix < 0 || ix >= W) return; // a window whose maximum is padding
  const d = dx + (<usize>(iy * W + ix)) * sizeof<T>();
  store<T>(d, load<T>(d) + load<T>(dy + o * sizeof<T>()));
}

/** maxPool2d(dtype, x, y, idx, planes, H, W, oh, ow, kh, kw, sh, sw, pt, pl, dh, dw). */
export function maxPool2d(args: usize, tid: i32, nt: i32): void {
  eachPlane(args, tid, nt, false);
}

/** maxPool2dGrad(dtype, dx, dy, idx, planes, H, W, oh, ow, kh, kw, sh, sw, pt, pl, dh, dw). */
export function maxPool2dGrad(args: usize, tid: i32, nt: i32): void {
  eachPlane(args, tid, nt, true);
}

/** This thread's (n, c) planes of the image (x or dx, slot 1), the pooled values (y or dy, slot 2) and the indices (slot 3). */
function eachPlane(args: usize, tid: i32, nt: i32, grad: bool): void {
  const f32 = argI(args, 0) == F32;
  const image = argP(args, 1), pooled = argP(args, 2), idx = argP(args, 3);
  readGeometry(args);
  const es: usize = f32 ? 4 : 8;
  const inPlane = <usize>(H * W), outPlane = <usize>(oh * ow);
  const p1 = shareEnd(planes, tid, nt, 1);
  for (let p = shareStart(planes, tid, nt, 1); p < p1; p++) {
    const ip = image + <usize>p * inPlane * es, op = pooled + <usize>p * outPlane * es, xp = idx + ((<usize>p * outPlane) << 2);
    if (grad) {
      if (f32) gradPlane<f32>(op, xp, ip);
      else gradPlane<f64>(op, xp, ip);
    } else if (f32) poolPlane<f32>(ip, op, xp);
    else poolPlane<f64>(ip, op, xp);
  }
}

// ---------------------------------------------------------------- int8 / uint8 max pooling
//
// maxPool2dInt8: values only. Output rows whose windows lie inside the image rows take 16
// outputs at a time with i8x16.max_s / max_u (stride 1: plain loads; stride 2: even / odd lanes
// of 32 loaded bytes); a block reads up to 15·stride bytes past its last window (inside the
// tensor, else the scalar path), and a short block stores only its lanes. Padding never wins.

/** The lane-wise maximum, signed for i8, unsigned for u8. */
@inline function maxLanes<T>(a: v128, b: v128): v128 {
  return isSigned<T>() ? i8x16.max_s(a, b) : i8x16.max_u(a, b);
}

/** The maximum of the 16 bytes at `p` over the window's `kh` rows (`rowStep` apart). */
@inline function columnMax<T>(p: usize, rowStep: usize): v128 {
  let v = v128.load(p);
  for (let ki = 1; ki < kh; ki++) v = maxLanes<T>(v, v128.load(p + <usize>ki * rowStep));
  return v;
}

/** Outputs `ox..ox+15` of a row whose windows start at byte `p` (the first one's top-left cell). */
@inline function levelBlock<T>(p: usize, rowStep: usize): v128 {
  if (sw == 1) {
    let acc = columnMax<T>(p, rowStep);
    for (let kj = 1; kj < kw; kj++) acc = maxLanes<T>(acc, columnMax<T>(p + <usize>(kj * dw), rowStep));
    return acc;
  }
  // stride 2: lanes 2i (even) are output i's cell; with dilation 1, the odd lanes are its next column
  let acc = i8x16.splat(isSigned<T>() ? -128 : 0);
  let kj = 0;
  while (kj < kw) {
    const q = p + <usize>(kj * dw);
    const a = columnMax<T>(q, rowStep), b = columnMax<T>(q + 16, rowStep);
    acc = maxLanes<T>(acc, i8x16.shuffle(a, b, 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30));
    if (dw == 1 && kj + 1 < kw) {
      acc = maxLanes<T>(acc, i8x16.shuffle(a, b, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31));
      kj += 2;
    } else kj++;
  }
  return acc;
}

/** Stores the first `n` (< 16) lanes of `v` at `p`. */
@inline function storeLanes(p: usize, v: v128, n: i32): void {
  if (n & 8) { store<i64>(p, i64x2.extract_lane(v, 0)); v = i8x16.shuffle(v, v, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7); p += 8; }
  if (n & 4) { store<i32>(p, i32x4.extract_lane(v, 0)); v = i8x16.shuffle(v, v, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3); p += 4; }
  if (n & 2) { store<i16>(p, i16x8.extract_lane_s(v, 0)); v = i8x16.shuffle(v, v, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1); p += 2; }
  if (n & 1) store<i8>(p, i8x16.extract_lane_s(v, 0));
}

/** One output of a plane (any geometry), scalar; padded cells are skipped. */
@inline function levelOne<T>(x: usize, y: usize, oy: i32, ox: i32): void {
  let best: i32 = isSigned<T>() ? -128 : 0; // a window always holds a cell of the image
  for (let ki = 0; ki < kh; ki++) {
    const iy = oy * sh - pt + ki * dh;
    if (iy < 0 || iy >= H) continue;
    for (let kj = 0; kj < kw; kj++) {
      const ix = ox * sw - pl + kj * dw;
      if (ix < 0 || ix >= W) continue;
      const v = <i32>load<T>(x + <usize>(iy * W + ix));
      best = select<i32>(v, best, v > best);
    }
  }
  store<T>(y + <usize>(oy * ow + ox), <T>best);
}

/** One (n, c) plane of levels; `end` is the end of the whole input tensor (blocks never read past it). */
@inline function levelPlane<T>(x: usize, y: usize, end: usize): void {
  const rowStep = <usize>(dh * W);
  const simd = sw == 1 || sw == 2;
  // outputs whose windows end inside the image's columns: ox·sw − pl + (kw−1)·dw < W
  const room = W - 1 - (kw - 1) * dw + pl;
  const inCols = room < 0 ? 0 : min(ow, room / sw + 1);
  const span = <usize>((kw - 1) * dw + 16 * sw); // bytes a block reads from each of its rows
  for (let oy = 0; oy < oh; oy++) {
    const iy0 = oy * sh - pt;
    let ox = 0;
    if (simd && iy0 >= 0 && iy0 + (kh - 1) * dh < H) {
      for (; ox < ow && ox * sw - pl < 0; ox++) levelOne<T>(x, y, oy, ox);
      const row = x + <usize>(iy0 * W), lastRow = row + <usize>(kh - 1) * rowStep;
      while (ox < inCols) {
        const c = <usize>(ox * sw - pl);
        if (lastRow + c + span > end) break;
        const v = levelBlock<T>(row + c, rowStep);
        const n = min(16, inCols - ox), o = y + <usize>(oy * ow + ox);
        if (n == 16) v128.store(o, v);
        else storeLanes(o, v, n);
        ox += n;
      }
    }
    for (; ox < ow; ox++) levelOne<T>(x, y, oy, ox);
  }
}

/** maxPool2dInt8(dtype, x, y, _, planes, H, W, oh, ow, kh, kw, sh, sw, pt, pl, dh, dw): each window's maximum. */
export function maxPool2dInt8(args: usize, tid: i32, nt: i32): void {
  const signed = argI(args, 0) == I8;
  const x = argP(args, 1), y = argP(args, 2);
  readGeometry(args);
  const inPlane = <usize>(H * W), outPlane = <usize>(oh * ow);
  const end = x + <usize>planes * inPlane;
  const p1 = shareEnd(planes, tid, nt, 1);
  for (let p = shareStart(planes, tid, nt, 1); p < p1; p++) {
    const ip = x + <usize>p * inPlane, op = y + <usize>p * outPlane;
    if (signed) levelPlane<i8>(ip, op, end);
    else levelPlane<u8>(ip, op, end);
  }
}
