/**
 * int8 matrix multiply (qlinearMatmul, and the GEMM of qlinearConv2d): packed Goto/BLIS GEMM
 * with a register-blocked `i32x4.dot_i16x8_s` micro-kernel, exact int32 accumulators and a
 * requantizing epilogue that writes int8 / uint8 straight into the output.
 *
 *   for jc in n step NC
 *     for ic in m step MC
 *       for pc in k step KC
 *         pack B[pc:pc+kc, jc:jc+nc] → Bp   (b − bZp[j] as i16; NR-wide column panels, k in pairs)
 *         pack A[ic:ic+mc, pc:pc+kc] → Ap   (a − aZp[i] as i16; MR-tall row panels, k in pairs)
 *         for each MR×NR tile: micro-kernel over the k pairs, accumulators in v128 locals;
 *         on the last k block the tile is requantized in registers and stored as bytes
 *
 * Zero points are subtracted while packing: `u8 − zp` does not fit an i8 but fits an i16, so
 * every product is exact and the accumulator is the contract's Σ (a − aZp)(b − bZp) with no
 * row / column-sum corrections. The packed panels interleave pairs of k: A holds, per pair
 * and row, the two i16 values (one i32 lane, broadcast by `load32_splat`); B holds, per pair,
 * the two i16 values of each of its 8 columns (two v128). `dot_i16x8_s(aPair, bPairs)` then
 * gives 4 columns' a(i,2p)·b(2p,j) + a(i,2p+1)·b(2p+1,j) — 8 multiply-adds per instruction,
 * twice the float32 micro-kernel's 4 per `f32x4.mul`. An odd k is padded with a zero pair half;
 * edge tiles with zero rows / columns. A product whose k does not fit one KC block keeps its
 * partial sums in the thread's int32 block (Cacc) between blocks.
 *
 * Requantization (the contract's, bit for bit): acc (+ bias, int32) → f32 (round to nearest,
 * as fround), × multiplier (f32, per row or per column), then round half to even, + yZp, clamp
 * to [lo, hi] (lo = yZp under relu) — computed as clamp(v, lo − yZp, hi − yZp) with pmin / pmax,
 * then one add of 1.5·2^23, which rounds half to even and leaves the integer in the low mantissa
 * bits (equal for every finite product; NaN products, possible only with a non-finite
 * multiplier, take the IEEE nearest / min / max / trunc_sat path and become 0), narrowed to bytes.
 *
 * Relaxed SIMD: the build with `--enable relaxed-simd` (ASC_FEATURE_RELAXED_SIMD) also has
 * qgemmRelaxed (qgemm-relaxed.ts), an `i16x8.relaxed_dot_i8x16_i7x16_s` GEMM on bytes that the
 * kernels call for weights within [-64, 63]; see there for why it is exact.
 */

export const MR: i32 = 4;
export const NR: i32 = 8;
export const KC: i32 = 512; // k per block (even)
export const MC: i32 = 128;
export const NC: i32 = 256;

export const AP_BYTES: usize = <usize>(MC * KC * 2);
export const BP_BYTES: usize = <usize>(KC * NC * 2);
export const CACC_BYTES: usize = <usize>(MC * NC * 4);
const TILE_BYTES: usize = <usize>(MR * NR + MR * NR * 4); // a byte tile, an int32 tile

/** Bytes of per-thread scratch the int8 GEMM needs (within gemmScratchBytes). */
export const QGEMM_SCRATCH_BYTES: usize = AP_BYTES + BP_BYTES + CACC_BYTES + TILE_BYTES;

// Requantization constants of the current job (set by the kernel entry; globals are per instance,
// so per thread).
let rqPerRow: bool = false;
let rqZp: f32 = 0;
let rqLo: f32 = 0;
let rqHi: f32 = 0;
let rqUnsigned: bool = false;
let rqExact: bool = false;

/** 1.5·2^23: adding it rounds a float in (−2^22, 2^22) to an integer (half to even) in the low mantissa bits. */
const MAGIC: f32 = 12582912.0;
const MAGIC_BITS: i32 = 0x4b400000;

/**
 * Sets the epilogue of the next products: output zero point, dtype (unsigned: uint8), relu, and
 * whether the multiplier and bias run along rows (a convolution's output channels) or columns.
 * `nonFinite`: some multiplier is NaN or infinite, so a product may be NaN (→ 0) — the epilogue
 * then takes the IEEE min / max path instead of the faster pmin / pmax one.
 */
export function setRequant(yZp: i32, unsigned: bool, relu: bool, perRow: bool, nonFinite: bool): void {
  rqPerRow = perRow;
  rqZp = <f32>yZp;
  rqUnsigned = unsigned;
  rqExact = nonFinite;
  const qmin: f32 = unsigned ? 0 : -128;
  rqHi = unsigned ? 255 : 127;
  rqLo = relu && rqZp > qmin ? rqZp : qmin;
}

/**
 * Whether B's rows may be read up to 7 bytes past their end (the conv's im2col block has spare
 * bytes after it): a last, narrower column panel is then packed 8 wide like the others (its
 * extra columns are computed, never stored). Set per job by the kernel entry.
 */
let bOverread: bool = false;
export function setBOverread(on: bool): void {
  bOverread = on;
}

/** Whether the current job's multiplier and bias run along rows (setRequant's perRow). */
@inline export function rqPerRowNow(): bool {
  return rqPerRow;
}

@inline export function ceilDiv(a: i32, b: i32): i32 {
  return (a + b - 1) / b;
}
@inline export function roundUp(a: i32, b: i32): i32 {
  return ceilDiv(a, b) * b;
}

/** Loads 8 consecutive elements of T (i8 or u8) as an i16x8. */
@inline function load8<T>(p: usize): v128 {
  return isSigned<T>() ? v128.load8x8_s(p) : v128.load8x8_u(p);
}

/**
 * Packs A[0:mc, 0:kc] (A(i,p) = a[i·ars + p·acs], T = i8 | u8) minus its row zero points
 * (zp[i·zpStep], i32) into MR-row panels of k pairs: per pair, MR i32 lanes (a(i,2p), a(i,2p+1)).
 */
function packA<T>(a: usize, ars: i32, acs: i32, mc: i32, kc: i32, zp: usize, zpStep: i32, Ap: usize): void {
  const kp = (kc + 1) >> 1;
  let o = Ap;
  for (let i0 = 0; i0 < mc; i0 += MR) {
    const h = mc - i0 < MR ? mc - i0 : MR;
    if (h == MR && acs == 1) {
      const r0 = a + <usize>(i0 * ars);
      const r1 = r0 + <usize>ars, r2 = r1 + <usize>ars, r3 = r2 + <usize>ars;
      const z0 = i16x8.splat(<i16>load<i32>(zp + (<usize>(i0 * zpStep) << 2)));
      const z1 = i16x8.splat(<i16>load<i32>(zp + (<usize>((i0 + 1) * zpStep) << 2)));
      const z2 = i16x8.splat(<i16>load<i32>(zp + (<usize>((i0 + 2) * zpStep) << 2)));
      const z3 = i16x8.splat(<i16>load<i32>(zp + (<usize>((i0 + 3) * zpStep) << 2)));
      let p = 0;
      for (; p + 8 <= kc; p += 8) {
        // 4 pairs of each row, then a 4×4 transpose of i32 lanes: one vector per pair
        const x0 = i16x8.sub(load8<T>(r0 + <usize>p), z0);
        const x1 = i16x8.sub(load8<T>(r1 + <usize>p), z1);
        const x2 = i16x8.sub(load8<T>(r2 + <usize>p), z2);
        const x3 = i16x8.sub(load8<T>(r3 + <usize>p), z3);
        const t0 = v128.shuffle<i32>(x0, x1, 0, 4, 1, 5);
        const t1 = v128.shuffle<i32>(x0, x1, 2, 6, 3, 7);
        const t2 = v128.shuffle<i32>(x2, x3, 0, 4, 1, 5);
        const t3 = v128.shuffle<i32>(x2, x3, 2, 6, 3, 7);
        v128.store(o, v128.shuffle<i64>(t0, t2, 0, 2));
        v128.store(o, v128.shuffle<i64>(t0, t2, 1, 3), 16);
        v128.store(o, v128.shuffle<i64>(t1, t3, 0, 2), 32);
        v128.store(o, v128.shuffle<i64>(t1, t3, 1, 3), 48);
        o += 64;
      }
      for (; p < kc; p += 2) {
        for (let i = 0; i < MR; i++) {
          const r = a + <usize>((i0 + i) * ars + p);
          const z = load<i32>(zp + (<usize>((i0 + i) * zpStep) << 2));
          store<i16>(o + (<usize>i << 2), <i16>(<i32>load<T>(r) - z));
          store<i16>(o + (<usize>i << 2) + 2, p + 1 < kc ? <i16>(<i32>load<T>(r + 1) - z) : 0);
        }
        o += <usize>(MR << 2);
      }
      continue;
    }
    for (let q = 0; q < kp; q++) {
      const p = q << 1;
      for (let i = 0; i < MR; i++) {
        let v0: i32 = 0, v1: i32 = 0;
        if (i < h) {
          const r = a + <usize>((i0 + i) * ars + p * acs);
          const z = load<i32>(zp + (<usize>((i0 + i) * zpStep) << 2));
          v0 = <i32>load<T>(r) - z;
          if (p + 1 < kc) v1 = <i32>load<T>(r + <usize>acs) - z;
        }
        store<i16>(o + (<usize>i << 2), <i16>v0);
        store<i16>(o + (<usize>i << 2) + 2, <i16>v1);
      }
      o += <usize>(MR << 2);
    }
  }
}

/**
 * Packs B[0:kc, 0:nc] (B(p,j) = b[p·brs + j·bcs]) minus its column zero points (zp[j·zpStep])
 * into NR-column panels of k pairs: per pair, NR i32 lanes (b(2p,j), b(2p+1,j)).
 */
function packB<T>(b: usize, brs: i32, bcs: i32, kc: i32, nc: i32, zp: usize, zpStep: i32, Bp: usize): void {
  const kp = (kc + 1) >> 1;
  let o = Bp;
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const w = nc - j0 < NR ? nc - j0 : NR;
    if ((w == NR || bOverread) && bcs == 1) {
      const zq = zp + (<usize>(j0 * zpStep) << 2);
      const zv = zpStep == 0
        ? i16x8.splat(<i16>load<i32>(zq))
        : i16x8.narrow_i32x4_s(v128.load(zq), v128.load(zq, 16));
      let r = b + <usize>j0;
      const step = <usize>brs;
      for (let q = 0; q < kp; q++) {
        const x0 = i16x8.sub(load8<T>(r), zv);
        // the odd k's partner is a zero row (x1 = 0 after the subtraction)
        const x1 = (q << 1) + 1 < kc ? i16x8.sub(load8<T>(r + step), zv) : i16x8.splat(0);
        v128.store(o, v128.shuffle<i16>(x0, x1, 0, 8, 1, 9, 2, 10, 3, 11));
        v128.store(o, v128.shuffle<i16>(x0, x1, 4, 12, 5, 13, 6, 14, 7, 15), 16);
        o += 32;
        r += step << 1;
      }
      continue;
    }
    for (let q = 0; q < kp; q++) {
      const p = q << 1;
      for (let j = 0; j < NR; j++) {
        let v0: i32 = 0, v1: i32 = 0;
        if (j < w) {
          const r = b + <usize>(p * brs + (j0 + j) * bcs);
          const z = load<i32>(zp + (<usize>((j0 + j) * zpStep) << 2));
          v0 = <i32>load<T>(r) - z;
          if (p + 1 < kc) v1 = <i32>load<T>(r + <usize>brs) - z;
        }
        store<i16>(o + (<usize>j << 2), <i16>v0);
        store<i16>(o + (<usize>j << 2) + 2, <i16>v1);
      }
      o += <usize>(NR << 2);
    }
  }
}

/** One row's 8 accumulators (two i32x4) requantized to 8 bytes at `y`; mult / bias at this row's entry (per row) or the tile's first column. */
@inline function requantRow(lo: v128, hi: v128, mult: usize, bias: usize, y: usize): void {
  let m0: v128, m1: v128;
  if (rqPerRow) {
    m0 = v128.load32_splat(mult);
    m1 = m0;
    if (bias) {
      const bv = v128.load32_splat(bias);
      lo = i32x4.add(lo, bv);
      hi = i32x4.add(hi, bv);
    }
  } else {
    m0 = v128.load(mult);
    m1 = v128.load(mult, 16);
    if (bias) {
      lo = i32x4.add(lo, v128.load(bias));
      hi = i32x4.add(hi, v128.load(bias, 16));
    }
  }
  let q0: v128, q1: v128;
  if (!rqExact) {
    // clamp first (to [lo − zp, hi − zp]; pmin / pmax are single instructions and the product
    // is never NaN here), then round half to even and add the zero point with MAGIC:
    // clamp(nearest(v) + zp, lo, hi) = nearest(clamp(v, lo − zp, hi − zp)) + zp
    const vlo = f32x4.splat(rqLo - rqZp);
    const vhi = f32x4.splat(rqHi - rqZp);
    const magic = f32x4.splat(MAGIC);
    const bits = i32x4.splat(MAGIC_BITS - <i32>rqZp);
    const f0 = f32x4.pmin(f32x4.pmax(vlo, f32x4.mul(f32x4.convert_i32x4_s(lo), m0)), vhi);
    const f1 = f32x4.pmin(f32x4.pmax(vlo, f32x4.mul(f32x4.convert_i32x4_s(hi), m1)), vhi);
    q0 = i32x4.sub(f32x4.add(f0, magic), bits);
    q1 = i32x4.sub(f32x4.add(f1, magic), bits);
  } else {
    const zp = f32x4.splat(rqZp);
    const vlo = f32x4.splat(rqLo);
    const vhi = f32x4.splat(rqHi);
    let f0 = f32x4.add(f32x4.nearest(f32x4.mul(f32x4.convert_i32x4_s(lo), m0)), zp);
    let f1 = f32x4.add(f32x4.nearest(f32x4.mul(f32x4.convert_i32x4_s(hi), m1)), zp);
    f0 = f32x4.min(f32x4.max(f0, vlo), vhi); // NaN stays NaN, truncated to 0
    f1 = f32x4.min(f32x4.max(f1, vlo), vhi);
    q0 = i32x4.trunc_sat_f32x4_s(f0);
    q1 = i32x4.trunc_sat_f32x4_s(f1);
  }
  const s = i16x8.narrow_i32x4_s(q0, q1);
  const bytes = rqUnsigned ? i8x16.narrow_i16x8_u(s, s) : i8x16.narrow_i16x8_s(s, s);
  v128.store64_lane(y, bytes, 0);
}

/**
 * C[MR×NR] int32 (+)= Ap panel · Bp panel over kp k pairs; ldc in bytes. With `y` (a full tile
 * whose k is one block, finite multipliers) the sums are instead requantized straight from
 * registers into bytes at y (row stride ldy), as requantTile would.
 */
function qmicro(kp: i32, ap: usize, bp: usize, c: usize, ldc: usize, accum: bool, y: usize = 0, ldy: usize = 0, mult: usize = 0, bias: usize = 0): void {
  let c00 = i32x4.splat(0);
  let c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  for (let q = 0; q < kp; q++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let a = v128.load32_splat(ap);
    c00 = i32x4.add(c00, i32x4.dot_i16x8_s(a, b0));
    c01 = i32x4.add(c01, i32x4.dot_i16x8_s(a, b1));
    a = v128.load32_splat(ap, 4);
    c10 = i32x4.add(c10, i32x4.dot_i16x8_s(a, b0));
    c11 = i32x4.add(c11, i32x4.dot_i16x8_s(a, b1));
    a = v128.load32_splat(ap, 8);
    c20 = i32x4.add(c20, i32x4.dot_i16x8_s(a, b0));
    c21 = i32x4.add(c21, i32x4.dot_i16x8_s(a, b1));
    a = v128.load32_splat(ap, 12);
    c30 = i32x4.add(c30, i32x4.dot_i16x8_s(a, b0));
    c31 = i32x4.add(c31, i32x4.dot_i16x8_s(a, b1));
    ap += 16;
    bp += 32;
  }
  if (y) {
    requantRegs(c00, c01, c10, c11, c20, c21, c30, c31, y, ldy, mult, bias);
    return;
  }
  if (accum) {
    c00 = i32x4.add(c00, v128.load(c));
    c01 = i32x4.add(c01, v128.load(c, 16));
    c10 = i32x4.add(c10, v128.load(c + ldc));
    c11 = i32x4.add(c11, v128.load(c + ldc, 16));
    c20 = i32x4.add(c20, v128.load(c + 2 * ldc));
    c21 = i32x4.add(c21, v128.load(c + 2 * ldc, 16));
    c30 = i32x4.add(c30, v128.load(c + 3 * ldc));
    c31 = i32x4.add(c31, v128.load(c + 3 * ldc, 16));
  }
  v128.store(c, c00);
  v128.store(c, c01, 16);
  v128.store(c + ldc, c10);
  v128.store(c + ldc, c11, 16);
  v128.store(c + 2 * ldc, c20);
  v128.store(c + 2 * ldc, c21, 16);
  v128.store(c + 3 * ldc, c30);
  v128.store(c + 3 * ldc, c31, 16);
}

/** One i32x4 of accumulators requantized (fast path): ints + yZp, clamped (see setRequant's MAGIC). */
@inline function rq4(acc: v128, m: v128, b: v128, vlo: v128, vhi: v128, magic: v128, bits: v128): v128 {
  const f = f32x4.pmin(f32x4.pmax(vlo, f32x4.mul(f32x4.convert_i32x4_s(i32x4.add(acc, b)), m)), vhi);
  return i32x4.sub(f32x4.add(f, magic), bits);
}

/**
 * Requantizes an MR×NR int32 tile at `c` (row stride ldc bytes) into bytes at `y` (row stride
 * ldy). Kept apart from the micro-kernel, whose loop then keeps its accumulators in registers;
 * the constants are splat once per tile, per-column parameters loaded once, and the four rows
 * narrowed together.
 */
export function requantTile(c: usize, ldc: usize, y: usize, ldy: usize, mult: usize, bias: usize): void {
  if (rqExact) {
    const rowStep: usize = rqPerRow ? 4 : 0;
    for (let i = 0; i < MR; i++) {
      const r = c + <usize>i * ldc;
      const o = <usize>i * rowStep;
      requantRow(v128.load(r), v128.load(r, 16), mult + o, bias ? bias + o : 0, y + <usize>i * ldy);
    }
    return;
  }
  requantRegs(
    v128.load(c), v128.load(c, 16), v128.load(c + ldc), v128.load(c + ldc, 16),
    v128.load(c + 2 * ldc), v128.load(c + 2 * ldc, 16), v128.load(c + 3 * ldc), v128.load(c + 3 * ldc, 16),
    y, ldy, mult, bias,
  );
}

/**
 * The fast (finite-multiplier) requantization of an MR×NR tile held in eight i32x4 (row i:
 * ci0 columns 0–3, ci1 columns 4–7) into bytes at `y` (row stride ldy).
 */
@inline function requantRegs(
  c00: v128, c01: v128, c10: v128, c11: v128, c20: v128, c21: v128, c30: v128, c31: v128,
  y: usize, ldy: usize, mult: usize, bias: usize,
): void {
  const vlo = f32x4.splat(rqLo - rqZp);
  const vhi = f32x4.splat(rqHi - rqZp);
  const magic = f32x4.splat(MAGIC);
  const bits = i32x4.splat(MAGIC_BITS - <i32>rqZp);
  const zero = i32x4.splat(0);
  let s0: v128, s1: v128, s2: v128, s3: v128;
  if (rqPerRow) {
    const m0 = v128.load32_splat(mult), m1 = v128.load32_splat(mult, 4), m2 = v128.load32_splat(mult, 8), m3 = v128.load32_splat(mult, 12);
    const b0 = bias ? v128.load32_splat(bias) : zero;
    const b1 = bias ? v128.load32_splat(bias, 4) : zero;
    const b2 = bias ? v128.load32_splat(bias, 8) : zero;
    const b3 = bias ? v128.load32_splat(bias, 12) : zero;
    s0 = i16x8.narrow_i32x4_s(rq4(c00, m0, b0, vlo, vhi, magic, bits), rq4(c01, m0, b0, vlo, vhi, magic, bits));
    s1 = i16x8.narrow_i32x4_s(rq4(c10, m1, b1, vlo, vhi, magic, bits), rq4(c11, m1, b1, vlo, vhi, magic, bits));
    s2 = i16x8.narrow_i32x4_s(rq4(c20, m2, b2, vlo, vhi, magic, bits), rq4(c21, m2, b2, vlo, vhi, magic, bits));
    s3 = i16x8.narrow_i32x4_s(rq4(c30, m3, b3, vlo, vhi, magic, bits), rq4(c31, m3, b3, vlo, vhi, magic, bits));
  } else {
    const m0 = v128.load(mult), m1 = v128.load(mult, 16);
    const b0 = bias ? v128.load(bias) : zero;
    const b1 = bias ? v128.load(bias, 16) : zero;
    s0 = i16x8.narrow_i32x4_s(rq4(c00, m0, b0, vlo, vhi, magic, bits), rq4(c01, m1, b1, vlo, vhi, magic, bits));
    s1 = i16x8.narrow_i32x4_s(rq4(c10, m0, b0, vlo, vhi, magic, bits), rq4(c11, m1, b1, vlo, vhi, magic, bits));
    s2 = i16x8.narrow_i32x4_s(rq4(c20, m0, b0, vlo, vhi, magic, bits), rq4(c21, m1, b1, vlo, vhi, magic, bits));
    s3 = i16x8.narrow_i32x4_s(rq4(c30, m0, b0, vlo, vhi, magic, bits), rq4(c31, m1, b1, vlo, vhi, magic, bits));
  }
  const r01 = rqUnsigned ? i8x16.narrow_i16x8_u(s0, s1) : i8x16.narrow_i16x8_s(s0, s1);
  const r23 = rqUnsigned ? i8x16.narrow_i16x8_u(s2, s3) : i8x16.narrow_i16x8_s(s2, s3);
  v128.store64_lane(y, r01, 0);
  v128.store64_lane(y + ldy, r01, 1);
  v128.store64_lane(y + 2 * ldy, r23, 0);
  v128.store64_lane(y + 3 * ldy, r23, 1);
}

/** requantRow for one accumulator (the tail columns of the small path): the same float32 steps. */
@inline function requantOne(acc: i32, mult: f32): i8 {
  let v = nearest<f32>(<f32>acc * mult) + rqZp;
  if (v != v) return 0;
  v = v < rqLo ? rqLo : v > rqHi ? rqHi : v;
  return <i8>(<i32>v);
}

/**
 * The product for m ≤ 2 rows (3 take the packed path: faster there) with B's rows contiguous (bcs = 1), without packing B (whose
 * packing would cost as much as the product): A's rows are centred into i16 pairs once, then
 * for each block of 16 columns and each k pair two B rows are loaded and interleaved in
 * registers and dotted into the block's sums, held in registers over the whole k (B is read
 * once, a column block at a time); B's zero points are applied to the sums at the end. Columns
 * past the last multiple of 8 are summed one by one.
 */
function qsmall<TA, TB>(
  m: i32, n: i32, k: i32, a: usize, ars: i32, acs: i32, aZp: usize, aZpStep: i32,
  b: usize, brs: i32, bZp: usize, bZpStep: i32, y: usize, ldy: i32, mult: usize, bias: usize, scratch: usize,
): void {
  const kp = (k + 1) >> 1;
  // A as i16 pairs, row after row: Ap[i·kp + q] = (a(i,2q) − z, a(i,2q+1) − z)
  const Ap = scratch;
  for (let i = 0; i < m; i++) {
    const z = load<i32>(aZp + (<usize>(i * aZpStep) << 2));
    const row = Ap + (<usize>(i * kp) << 2);
    for (let p = 0; p < k; p++) store<i16>(row + (<usize>p << 1), <i16>(<i32>load<TA>(a + <usize>(i * ars + p * acs)) - z));
    if (k & 1) store<i16>(row + (<usize>k << 1), 0);
  }
  const step = <usize>brs;
  const n8 = n & ~7;
  const n16 = n & ~15;
  // int32 sums Σ_k a'(i,k)·b(k,j) of the first n8 columns (a' = a − aZp; B's zero points are
  // applied at the end: Σ a'(b − z) = Σ a'b − z·Σ a', exact in wrapping int32), 16 columns at a
  // time: over all k pairs, two B rows are loaded, interleaved in registers and dotted into the
  // block's accumulators, which stay in registers and are stored once
  const acc = Ap + ((<usize>(m * kp) << 2) + 15 & ~15);
  const ldAcc = <usize>n8 << 2;
  const kEven = k & ~1;
  const a1Row = m > 1 ? <usize>kp << 2 : 0;
  let j = 0;
  for (; j < n16; j += 16) {
    let c0 = i32x4.splat(0);
    let c1 = c0, c2 = c0, c3 = c0, d0 = c0, d1 = c0, d2 = c0, d3 = c0;
    let r0 = b + <usize>j;
    let ap = Ap;
    for (let p = 0; p < k; p += 2) {
      const v0 = v128.load(r0);
      const v1 = p < kEven ? v128.load(r0 + step) : i8x16.splat(0);
      const l0 = isSigned<TB>() ? i16x8.extend_low_i8x16_s(v0) : i16x8.extend_low_i8x16_u(v0);
      const l1 = isSigned<TB>() ? i16x8.extend_low_i8x16_s(v1) : i16x8.extend_low_i8x16_u(v1);
      const h0 = isSigned<TB>() ? i16x8.extend_high_i8x16_s(v0) : i16x8.extend_high_i8x16_u(v0);
      const h1 = isSigned<TB>() ? i16x8.extend_high_i8x16_s(v1) : i16x8.extend_high_i8x16_u(v1);
      const b0 = v128.shuffle<i16>(l0, l1, 0, 8, 1, 9, 2, 10, 3, 11);
      const b1 = v128.shuffle<i16>(l0, l1, 4, 12, 5, 13, 6, 14, 7, 15);
      const b2 = v128.shuffle<i16>(h0, h1, 0, 8, 1, 9, 2, 10, 3, 11);
      const b3 = v128.shuffle<i16>(h0, h1, 4, 12, 5, 13, 6, 14, 7, 15);
      const a0 = v128.load32_splat(ap);
      c0 = i32x4.add(c0, i32x4.dot_i16x8_s(a0, b0));
      c1 = i32x4.add(c1, i32x4.dot_i16x8_s(a0, b1));
      c2 = i32x4.add(c2, i32x4.dot_i16x8_s(a0, b2));
      c3 = i32x4.add(c3, i32x4.dot_i16x8_s(a0, b3));
      if (m > 1) {
        const a1 = v128.load32_splat(ap + a1Row);
        d0 = i32x4.add(d0, i32x4.dot_i16x8_s(a1, b0));
        d1 = i32x4.add(d1, i32x4.dot_i16x8_s(a1, b1));
        d2 = i32x4.add(d2, i32x4.dot_i16x8_s(a1, b2));
        d3 = i32x4.add(d3, i32x4.dot_i16x8_s(a1, b3));
      }
      r0 += step << 1;
      ap += 4;
    }
    const c = acc + (<usize>j << 2);
    v128.store(c, c0);
    v128.store(c, c1, 16);
    v128.store(c, c2, 32);
    v128.store(c, c3, 48);
    if (m > 1) {
      v128.store(c + ldAcc, d0);
      v128.store(c + ldAcc, d1, 16);
      v128.store(c + ldAcc, d2, 32);
      v128.store(c + ldAcc, d3, 48);
    }
  }
  if (j < n8) {
    let c0 = i32x4.splat(0);
    let c1 = c0, d0 = c0, d1 = c0;
    let r0 = b + <usize>j;
    let ap = Ap;
    for (let p = 0; p < k; p += 2) {
      const x0 = load8<TB>(r0);
      const x1 = p < kEven ? load8<TB>(r0 + step) : i16x8.splat(0);
      const b0 = v128.shuffle<i16>(x0, x1, 0, 8, 1, 9, 2, 10, 3, 11);
      const b1 = v128.shuffle<i16>(x0, x1, 4, 12, 5, 13, 6, 14, 7, 15);
      const a0 = v128.load32_splat(ap);
      c0 = i32x4.add(c0, i32x4.dot_i16x8_s(a0, b0));
      c1 = i32x4.add(c1, i32x4.dot_i16x8_s(a0, b1));
      if (m > 1) {
        const a1 = v128.load32_splat(ap + a1Row);
        d0 = i32x4.add(d0, i32x4.dot_i16x8_s(a1, b0));
        d1 = i32x4.add(d1, i32x4.dot_i16x8_s(a1, b1));
      }
      r0 += step << 1;
      ap += 4;
    }
    const c = acc + (<usize>j << 2);
    v128.store(c, c0);
    v128.store(c, c1, 16);
    if (m > 1) {
      v128.store(c + ldAcc, d0);
      v128.store(c + ldAcc, d1, 16);
    }
  }
  const rowStep: usize = rqPerRow ? 4 : 0;
  for (let i = 0; i < m; i++) {
    // Σ_k a'(i,k), for B's zero points
    let sa: i32 = 0;
    const row = Ap + (<usize>(i * kp) << 2);
    for (let p = 0; p < k; p++) sa += <i32>load<i16>(row + (<usize>p << 1));
    const sav = i32x4.splat(sa);
    const ci = acc + <usize>i * ldAcc;
    const yi = y + <usize>(i * ldy);
    for (let j = 0; j < n8; j += 8) {
      const zq = bZp + (<usize>(j * bZpStep) << 2);
      const z0 = bZpStep == 0 ? v128.load32_splat(zq) : v128.load(zq);
      const z1 = bZpStep == 0 ? z0 : v128.load(zq, 16);
      const pidx = rqPerRow ? 0 : j;
      const pm = mult + (<usize>(pidx) << 2) + <usize>i * rowStep;
      const pb = bias ? bias + (<usize>pidx << 2) + <usize>i * rowStep : 0;
      const c = ci + (<usize>j << 2);
      requantRow(i32x4.sub(v128.load(c), i32x4.mul(z0, sav)), i32x4.sub(v128.load(c, 16), i32x4.mul(z1, sav)), pm, pb, yi + <usize>j);
    }
  }
  for (let j = n8; j < n; j++) {
    const z = load<i32>(bZp + (<usize>(j * bZpStep) << 2));
    for (let i = 0; i < m; i++) {
      let sum: i32 = 0;
      const row = Ap + (<usize>(i * kp) << 2);
      for (let p = 0; p < k; p++) sum += <i32>load<i16>(row + (<usize>p << 1)) * (<i32>load<TB>(b + <usize>(p * brs + j)) - z);
      const pidx = rqPerRow ? i : j;
      if (bias) sum += load<i32>(bias + (<usize>pidx << 2));
      store<i8>(y + <usize>(i * ldy + j), requantOne(sum, load<f32>(mult + (<usize>pidx << 2))));
    }
  }
}

/**
 * y (m×n bytes, row stride ldy) = requant(Σ_k (A − aZp)(B − bZp) + bias) for TA, TB ∈ {i8, u8}.
 * aZp: i32 per row at aZp[i·aZpStep]; bZp: i32 per column at bZp[j·bZpStep] (step 0: one value).
 * mult (f32) and bias (i32, 0: none) per row or column as setRequant said, padded so that a
 * tile may read MR / NR entries past the last. `scratch`: QGEMM_SCRATCH_BYTES of this thread.
 */
export function qgemm<TA, TB>(
  m: i32, n: i32, k: i32,
  a: usize, ars: i32, acs: i32, aZp: usize, aZpStep: i32,
  b: usize, brs: i32, bcs: i32, bZp: usize, bZpStep: i32,
  y: usize, ldy: i32, mult: usize, bias: usize, scratch: usize,
): void {
  if (m <= 0 || n <= 0) return;
  if (m <= 2 && bcs == 1 && <usize>(m * (k + 1)) * 2 + <usize>m * <usize>n * 4 + 16 <= QGEMM_SCRATCH_BYTES) {
    qsmall<TA, TB>(m, n, k, a, ars, acs, aZp, aZpStep, b, brs, bZp, bZpStep, y, ldy, mult, bias, scratch);
    return;
  }
  const Ap = scratch;
  const Bp = Ap + AP_BYTES;
  const Cacc = Bp + BP_BYTES;
  const tile = Cacc + CACC_BYTES;
  const tileAcc = tile + <usize>(MR * NR);
  const nk = k > 0 ? ceilDiv(k, KC) : 1;
  // even k blocks of about equal size (the last may be odd)
  const kb = nk == 1 ? k : roundUp(ceilDiv(k, nk), 2);
  const ldcc: usize = <usize>(NC << 2);
  const ldyB = <usize>ldy;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = n - jc < NC ? n - jc : NC;
    for (let ic = 0; ic < m; ic += MC) {
      const mc = m - ic < MC ? m - ic : MC;
      for (let pc = 0; pc == 0 || pc < k; pc += kb) {
        const kc = k - pc < kb ? k - pc : kb;
        const kp = (kc + 1) >> 1;
        const first = pc == 0;
        const last = pc + kb >= k;
        // one k block: B is packed once per jc (for the first ic)
        if (!(nk == 1 && ic > 0)) packB<TB>(b + <usize>(pc * brs + jc * bcs), brs, bcs, kc, nc, bZp + (<usize>(jc * bZpStep) << 2), bZpStep, Bp);
        packA<TA>(a + <usize>(ic * ars + pc * acs), ars, acs, mc, kc, aZp + (<usize>(ic * aZpStep) << 2), aZpStep, Ap);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = nc - jr < NR ? nc - jr : NR;
          const bp = Bp + (<usize>(jr * kp) << 2);
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = mc - ir < MR ? mc - ir : MR;
            const ap = Ap + (<usize>(ir * kp) << 2);
            const cacc = Cacc + <usize>ir * ldcc + (<usize>jr << 2);
            const gi = ic + ir;
            const gj = jc + jr;
            const pidx = rqPerRow ? gi : gj;
            const pm = mult + (<usize>pidx << 2);
            const pb = bias ? bias + (<usize>pidx << 2) : 0;
            if (!last || nk > 1) {
              qmicro(kp, ap, bp, cacc, ldcc, !first);
              if (!last) continue;
            } else if (mr == MR && nr == NR && !rqExact) {
              qmicro(kp, ap, bp, 0, 0, false, y + <usize>gi * ldyB + <usize>gj, ldyB, pm, pb);
              continue;
            } else {
              qmicro(kp, ap, bp, tileAcc, <usize>(NR << 2), false);
            }
            const src = nk > 1 ? cacc : tileAcc;
            const lds: usize = nk > 1 ? ldcc : <usize>(NR << 2);
            if (mr == MR && nr == NR) {
              requantTile(src, lds, y + <usize>gi * ldyB + <usize>gj, ldyB, pm, pb);
            } else {
              requantTile(src, lds, tile, <usize>NR, pm, pb);
              // at most 8 bytes a row: plain stores (a memory.copy call costs more here)
              for (let i = 0; i < mr; i++) {
                const d = y + <usize>(gi + i) * ldyB + <usize>gj;
                const t = tile + <usize>(i * NR);
                for (let j = 0; j < nr; j++) store<u8>(d + <usize>j, load<u8>(t + <usize>j));
              }
            }
          }
        }
        if (k <= 0) break;
      }
    }
  }
}
