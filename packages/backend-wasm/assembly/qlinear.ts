/**
 * The int8 kernels: qlinearMatmul and qlinearConv2d on the int8 GEMM (qgemm.ts), and the
 * quantizeLinear / dequantizeLinear loops. The JS side passes every per-channel parameter as
 * an int32 array (zero points widened to i32, multipliers as float32 bits, bias), padded so a
 * tile may read past the last channel, and computes the multipliers as the contract says:
 * fround(fround(aScale·bScale[n]) / yScale).
 */
import { I8, U8, I32, argI, argP, shareStart, shareEnd } from './common';
import { ACT_RELU } from './op-codes';
import { qgemm, setBOverread, setRequant } from './qgemm';
import { qgemmRelaxed, WeightsInA, WeightsInB } from './qgemm-relaxed';

/** The byte shift that packs an activation for the relaxed GEMM's i8 side: uint8 − 128, int8 as is. */
@inline function actShift(dt: i32): i32 {
  return dt == U8 ? -128 : 0;
}
/** The shift of the weights onto the relaxed GEMM's i7 side ([-64, 63] + 64 = [0, 127]). */
const W_SHIFT: i32 = 64;
/**
 * The shortest reduction the relaxed GEMM runs (shorter: the dot_i16x8 one). With k = 9 (a 3×3
 * single-channel conv) it pads k to 12 rather than 10 and adds its sums and corrections to a
 * product that is bound by im2col and requantization: measured no faster (BENCHMARKS.md).
 */
const RELAXED_MIN_K: i32 = 32;

@inline function ceilDiv(a: i32, b: i32): i32 {
  return (a + b - 1) / b;
}
@inline function roundUp(a: i32, b: i32): i32 {
  return ceilDiv(a, b) * b;
}

/**
 * qlinearMatmul(aDtype, a, b, y, yDtype, m, n, k, aZp, bZp, bZpStep, mult, bias, yZp, act,
 * splitM, splitN, scratch, scratchStride, counter, nonFinite): y [m,n] = requant(Σ_k (a − aZp)(b − bZp[j])
 * + bias[j]) with a [m,k] int8|uint8, b [k,n] int8; aZp / bZp point at i32 (bZpStep 0: one
 * value, 1: per column), mult at f32 [n], bias at i32 [n] (0: none). The output is cut into
 * splitM × splitN blocks, claimed one at a time from the int32 at slot 19. Slot 21 (relaxed
 * builds): 1 when every weight is in [-64, 63], so blocks of more than 2 rows and k ≥ 32 take qgemmRelaxed.
 */
export function qlinearMatmul(args: usize, tid: i32, nt: i32): void {
  const aDt = argI(args, 0);
  const a = argP(args, 1);
  const b = argP(args, 2);
  const y = argP(args, 3);
  const yUnsigned = argI(args, 4) == U8;
  const m = argI(args, 5), n = argI(args, 6), k = argI(args, 7);
  const aZp = argP(args, 8);
  const bZp = argP(args, 9);
  const bZpStep = argI(args, 10);
  const mult = argP(args, 11);
  const bias = argP(args, 12);
  setRequant(argI(args, 13), yUnsigned, argI(args, 14) == ACT_RELU, false, argI(args, 20) != 0);
  setBOverread(false);
  const splitM = argI(args, 15), splitN = argI(args, 16);
  const scratch = argP(args, 17) + <usize>tid * argP(args, 18);
  const counter = args + (<usize>19 << 3);
  const mChunk = roundUp(ceilDiv(m, splitM), 4);
  const nChunk = roundUp(ceilDiv(n, splitN), 8);
  const units = splitM * splitN;
  const relaxed = argI(args, 21) != 0;
  for (let u = atomic.add<i32>(counter, 1); u < units; u = atomic.add<i32>(counter, 1)) {
    const sm = u / splitN;
    const sn = u - sm * splitN;
    const i0 = sm * mChunk;
    const j0 = sn * nChunk;
    if (i0 >= m || j0 >= n) continue;
    const mm = m - i0 < mChunk ? m - i0 : mChunk;
    const nn = n - j0 < nChunk ? n - j0 : nChunk;
    const pa = a + <usize>i0 * <usize>k;
    const pb = b + <usize>j0;
    const py = y + <usize>i0 * <usize>n + <usize>j0;
    const pzb = bZp + (<usize>(j0 * bZpStep) << 2);
    const pm = mult + (<usize>j0 << 2);
    const pbias = bias ? bias + (<usize>j0 << 2) : 0;
    if (ASC_FEATURE_RELAXED_SIMD && relaxed && mm > 2 && k >= RELAXED_MIN_K) {
      if (aDt == U8) qgemmRelaxed<u8, i8, WeightsInB>(mm, nn, k, pa, k, 1, aZp, 0, -128, pb, n, 1, pzb, bZpStep, W_SHIFT, py, n, pm, pbias, scratch);
      else qgemmRelaxed<i8, i8, WeightsInB>(mm, nn, k, pa, k, 1, aZp, 0, 0, pb, n, 1, pzb, bZpStep, W_SHIFT, py, n, pm, pbias, scratch);
    } else if (aDt == U8) qgemm<u8, i8>(mm, nn, k, pa, k, 1, aZp, 0, pb, n, 1, pzb, bZpStep, py, n, pm, pbias, scratch);
    else qgemm<i8, i8>(mm, nn, k, pa, k, 1, aZp, 0, pb, n, 1, pzb, bZpStep, py, n, pm, pbias, scratch);
  }
}

@inline function validStart(off: i32, sw: i32): i32 {
  // smallest ox ≥ 0 with ox·sw + off ≥ 0
  if (off >= 0) return 0;
  return (-off + sw - 1) / sw;
}
@inline function validEnd(off: i32, sw: i32, W: i32, ow: i32): i32 {
  // one past the largest ox with ox·sw + off ≤ W − 1
  const lim = W - 1 - off;
  if (lim < 0) return 0;
  const e = lim / sw + 1;
  return e < ow ? e : ow;
}

/**
 * Copies n bytes; a run of at most 16 moves as one v128 (writing up to 16 bytes at dst, and
 * reading 16 at src only when they lie before srcEnd), as the im2col rows are short.
 */
@inline function copyRun(dst: usize, src: usize, n: usize, srcEnd: usize): void {
  if (n <= 16 && src + 16 <= srcEnd) v128.store(dst, v128.load(src));
  else if (n >= 16) {
    let i: usize = 0;
    for (; i + 16 <= n; i += 16) v128.store(dst + i, v128.load(src + i));
    if (i < n) v128.store(dst + n - 16, v128.load(src + n - 16));
  } else memory.copy(dst, src, n);
}
/** Fills n bytes with v; a run of at most 16 as one v128 store (writing up to 16 bytes at dst). */
@inline function fillRun(dst: usize, v: u8, n: usize): void {
  if (n <= 16) v128.store(dst, i8x16.splat(<i8>v));
  else memory.fill(dst, v, n);
}

/**
 * im2col of bytes for output rows [oy0, oy1) of `planes` input planes at x: out
 * [planes·kh·kw, (oy1 − oy0)·ow], the padded border filled with `pad` (the input zero point).
 * Rows are written in order, and a short run may write up to 16 bytes past its end (into the
 * next run, written after it, or the 16 spare bytes after the block); `xEnd` bounds the reads.
 */
function qunfold(x: usize, xEnd: usize, out: usize, planes: i32, H: i32, W: i32, kh: i32, kw: i32, sh: i32, sw: i32, pt: i32, pl: i32, dh: i32, dw: i32, ow: i32, oy0: i32, oy1: i32, pad: u8): void {
  let o = out;
  for (let plane = 0; plane < planes; plane++) {
    const src = x + <usize>plane * <usize>(H * W);
    for (let ki = 0; ki < kh; ki++) {
      for (let kj = 0; kj < kw; kj++) {
        const colOff = kj * dw - pl;
        const ox0 = validStart(colOff, sw);
        let ox1 = validEnd(colOff, sw, W, ow);
        if (ox1 < ox0) ox1 = ox0;
        let oy = oy0;
        if (sw == 1 && ox0 == 0 && ox1 == ow && ow <= 32) {
          // every output column reads the input row (no column padding): one or two 16-byte
          // moves per row (the overrun, < 16 bytes, lands in the next run or the spare bytes),
          // the rows above / below the input filled with pad
          const base = ki * dh - pt;
          for (; oy < oy1 && oy * sh + base < 0; oy++) {
            fillRun(o, pad, <usize>ow);
            o += <usize>ow;
          }
          // rows oy < inEnd read the input; of those, the moves stay before xEnd while s + width ≤ xEnd
          let inEnd = (H - base + sh - 1) / sh;
          if (inEnd > oy1) inEnd = oy1;
          if (oy < inEnd) {
            let s = src + <usize>((oy * sh + base) * W + colOff);
            const step = sh * W;
            const width: i32 = ow <= 16 ? 16 : 32;
            const room = <i32>(xEnd - s) - width; // ≥ 0: the first move fits
            if (room >= 0) {
              const fits = room / step + 1;
              const n = inEnd - oy < fits ? inEnd - oy : fits;
              const o1 = o + <usize>(n * ow);
              if (width == 16) {
                for (; o < o1; o += <usize>ow, s += <usize>step) v128.store(o, v128.load(s));
              } else {
                for (; o < o1; o += <usize>ow, s += <usize>step) {
                  v128.store(o, v128.load(s));
                  v128.store(o, v128.load(s, 16), 16);
                }
              }
              oy += n;
            }
          }
        }
        for (; oy < oy1; oy++) {
          const iy = oy * sh - pt + ki * dh;
          if (iy < 0 || iy >= H) {
            fillRun(o, pad, <usize>ow);
            o += <usize>ow;
            continue;
          }
          const row = src + <usize>(iy * W);
          if (ox0 > 0) fillRun(o, pad, <usize>ox0);
          if (sw == 1) {
            if (ox1 > ox0) copyRun(o + <usize>ox0, row + <usize>(ox0 + colOff), <usize>(ox1 - ox0), xEnd);
          } else {
            for (let ox = ox0; ox < ox1; ox++) store<u8>(o + <usize>ox, load<u8>(row + <usize>(ox * sw + colOff)));
          }
          if (ox1 < ow) fillRun(o + <usize>ox1, pad, <usize>(ow - ox1));
          o += <usize>ow;
        }
      }
    }
  }
}

/**
 * qlinearConv2d(xDtype, x, w, y, yDtype, N, C, H, W, F, groups, kh, kw, sh, sw, pt, pl, dh, dw,
 * oh, ow, cols, colsStride, scratch, scratchStride, counter, xZp, wZp, wZpStep, mult, bias, yZp,
 * act, rowChunks, nonFinite): y [N,F,oh,ow] = requant(x ⋆ w) with x int8|uint8, w [F, C/groups, kh, kw]
 * int8; xZp / wZp point at i32 (wZpStep 1: per output channel), mult at f32 [F], bias at i32 [F]
 * (0: none). A unit — one image's channel group and a chunk of its output rows — unfolds its
 * input patch into the thread's `cols` block (bytes, padded with xZp, 16 spare bytes at its end; a 1×1 stride-1 unpadded
 * kernel reads the input itself) and runs the int8 GEMM w_g [F/g, K] · cols [K, rows·ow] into
 * the NCHW output; units are claimed from the int32 at slot 25. Slot 35 (relaxed builds): 1 when
 * every weight is in [-64, 63], so groups of more than 2 output channels and K ≥ 32 take qgemmRelaxed.
 */
export function qlinearConv2d(args: usize, tid: i32, nt: i32): void {
  const xDt = argI(args, 0);
  const x = argP(args, 1);
  const w = argP(args, 2);
  const y = argP(args, 3);
  const yUnsigned = argI(args, 4) == U8;
  const N = argI(args, 5), C = argI(args, 6), H = argI(args, 7), W = argI(args, 8);
  const F = argI(args, 9), groups = argI(args, 10), kh = argI(args, 11), kw = argI(args, 12);
  const sh = argI(args, 13), sw = argI(args, 14), pt = argI(args, 15), pl = argI(args, 16);
  const dh = argI(args, 17), dw = argI(args, 18), oh = argI(args, 19), ow = argI(args, 20);
  const cols = argP(args, 21) + <usize>tid * argP(args, 22);
  const scratch = argP(args, 23) + <usize>tid * argP(args, 24);
  const counter = args + (<usize>25 << 3);
  const xZp = argP(args, 26);
  const wZp = argP(args, 27);
  const wZpStep = argI(args, 28);
  const mult = argP(args, 29);
  const bias = argP(args, 30);
  setRequant(argI(args, 31), yUnsigned, argI(args, 32) == ACT_RELU, true, argI(args, 34) != 0);
  const rowChunks = argI(args, 33);
  const Cg = C / groups;
  const Fg = F / groups;
  const K = Cg * kh * kw;
  const L = oh * ow;
  const rowsPer = ceilDiv(oh, rowChunks);
  const direct = kh == 1 && kw == 1 && sh == 1 && sw == 1 && pt == 0 && pl == 0 && oh == H && ow == W;
  const pad = <u8>load<i32>(xZp);
  const xEnd = x + <usize>N * <usize>C * <usize>(H * W);
  const units = N * groups * rowChunks;
  const relaxed = argI(args, 35) != 0;
  for (let u = atomic.add<i32>(counter, 1); u < units; u = atomic.add<i32>(counter, 1)) {
    const ng = u / rowChunks;
    const rc = u - ng * rowChunks;
    const n = ng / groups;
    const g = ng - n * groups;
    const oy0 = rc * rowsPer;
    if (oy0 >= oh) continue;
    const oy1 = oy0 + rowsPer < oh ? oy0 + rowsPer : oh;
    const Lc = (oy1 - oy0) * ow;
    const planes = x + <usize>(n * C + g * Cg) * <usize>(H * W);
    let b = cols;
    let brs = Lc;
    setBOverread(!direct); // the im2col block has 16 spare bytes; the input itself may end the memory
    if (direct) {
      b = planes + <usize>(oy0 * ow);
      brs = H * W;
    } else {
      qunfold(planes, xEnd, cols, Cg, H, W, kh, kw, sh, sw, pt, pl, dh, dw, ow, oy0, oy1, pad);
    }
    const wg = w + <usize>(g * Fg) * <usize>K;
    const py = y + <usize>(n * F + g * Fg) * <usize>L + <usize>(oy0 * ow);
    const pz = wZp + (<usize>(g * Fg * wZpStep) << 2);
    const pm = mult + (<usize>(g * Fg) << 2);
    const pb = bias ? bias + (<usize>(g * Fg) << 2) : 0;
    if (ASC_FEATURE_RELAXED_SIMD && relaxed && Fg > 2 && K >= RELAXED_MIN_K) {
      qgemmRelaxed<i8, u8, WeightsInA>(Fg, Lc, K, wg, K, 1, pz, wZpStep, W_SHIFT, b, brs, 1, xZp, 0, actShift(xDt), py, L, pm, pb, scratch);
    } else if (xDt == U8) qgemm<i8, u8>(Fg, Lc, K, wg, K, 1, pz, wZpStep, b, brs, 1, xZp, 0, py, L, pm, pb, scratch);
    else qgemm<i8, i8>(Fg, Lc, K, wg, K, 1, pz, wZpStep, b, brs, 1, xZp, 0, py, L, pm, pb, scratch);
  }
}

// ---------------------------------------------------------------- (de)quantization

/**
 * quantizeLinear(yDtype, x, y, size, C, inner, scale, zp): y = sat(nearest(x / scale[c]) +
 * zp[c]) (NaN → zp) for float32 x, where c = (i / inner) mod C (C = 1: per tensor); scale f32
 * [C], zp i32 [C]. Threads split the elements.
 */
export function quantizeLinear(args: usize, tid: i32, nt: i32): void {
  const unsigned = argI(args, 0) == U8;
  const x = argP(args, 1);
  const y = argP(args, 2);
  const size = argI(args, 3);
  const C = argI(args, 4);
  const inner = argI(args, 5);
  const scale = argP(args, 6);
  const zp = argP(args, 7);
  const e0 = shareStart(size, tid, nt, 16);
  const e1 = shareEnd(size, tid, nt, 16);
  const lo: f32 = unsigned ? 0 : -128;
  const hi: f32 = unsigned ? 255 : 127;
  const vlo = f32x4.splat(lo);
  const vhi = f32x4.splat(hi);
  let e = e0;
  while (e < e1) {
    const row = e / inner;
    const c = row % C;
    const end = (row + 1) * inner < e1 ? (row + 1) * inner : e1;
    const s = load<f32>(scale + (<usize>c << 2));
    const z = <f32>load<i32>(zp + (<usize>c << 2));
    const sv = f32x4.splat(s);
    const zv = f32x4.splat(z);
    for (; e + 4 <= end; e += 4) {
      let v = f32x4.div(v128.load(x + (<usize>e << 2)), sv);
      v = v128.and(v, f32x4.eq(v, v)); // NaN → 0
      v = f32x4.min(f32x4.max(f32x4.add(f32x4.nearest(v), zv), vlo), vhi);
      const q = i32x4.trunc_sat_f32x4_s(v);
      const s16 = i16x8.narrow_i32x4_s(q, q);
      const bytes = unsigned ? i8x16.narrow_i16x8_u(s16, s16) : i8x16.narrow_i16x8_s(s16, s16);
      v128.store32_lane(y + <usize>e, bytes, 0);
    }
    for (; e < end; e++) {
      let v = load<f32>(x + (<usize>e << 2)) / s;
      if (v != v) v = 0;
      v = nearest<f32>(v) + z;
      v = v < lo ? lo : v > hi ? hi : v;
      store<i8>(y + <usize>e, <i8>(<i32>v));
    }
  }
}

/**
 * dequantizeLinear(xDtype, x, y, size, C, inner, scale, zp): y = f32(x − zp[c]) · scale[c]
 * (the difference exact, then one float32 rounding and one float32 product) for int8, uint8
 * or int32 x; c as in quantizeLinear.
 */
export function dequantizeLinear(args: usize, tid: i32, nt: i32): void {
  const dt = argI(args, 0);
  const x = argP(args, 1);
  const y = argP(args, 2);
  const size = argI(args, 3);
  const C = argI(args, 4);
  const inner = argI(args, 5);
  const scale = argP(args, 6);
  const zp = argP(args, 7);
  const e0 = shareStart(size, tid, nt, 16);
  const e1 = shareEnd(size, tid, nt, 16);
  let e = e0;
  while (e < e1) {
    const row = e / inner;
    const c = row % C;
    const end = (row + 1) * inner < e1 ? (row + 1) * inner : e1;
    const s = load<f32>(scale + (<usize>c << 2));
    const z = load<i32>(zp + (<usize>c << 2));
    if (dt == I32) {
      for (; e < end; e++) store<f32>(y + (<usize>e << 2), <f32>(<f64>load<i32>(x + (<usize>e << 2)) - <f64>z) * s);
      continue;
    }
    const sv = f32x4.splat(s);
    const zv = i32x4.splat(z);
    for (; e + 4 <= end; e += 4) {
      const p = x + <usize>e;
      const b4 = v128.load32_zero(p);
      const w = dt == I8 ? i32x4.extend_low_i16x8_s(i16x8.extend_low_i8x16_s(b4)) : i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(b4));
      v128.store(y + (<usize>e << 2), f32x4.mul(f32x4.convert_i32x4_s(i32x4.sub(w, zv)), sv));
    }
    for (; e < end; e++) {
      const v = dt == I8 ? <i32>load<i8>(x + <usize>e) : <i32>load<u8>(x + <usize>e);
      store<f32>(y + (<usize>e << 2), <f32>(v - z) * s);
    }
  }
}
