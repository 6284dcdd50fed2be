/**
 * The int8 GEMM on relaxed SIMD (built only with `--enable relaxed-simd`): the same packed
 * Goto/BLIS loops and epilogue as qgemm, on bytes, with an `i16x8.relaxed_dot_i8x16_i7x16_s`
 * micro-kernel — 16 multiply-adds per dot, widen and add (3 instructions), against the
 * dot_i16x8_s kernel's 8 per dot and add (2), on half the packed bytes.
 *
 * Exact by construction. The relaxed dot is deterministic only when every lane of its second
 * operand (the "i7" one) is in [0, 127]; then x86's pmaddubsw (which reads it unsigned) and
 * ARM's sdot agree, and no pair sum saturates (|x·u + x·u| ≤ 2·128·127 = 32512 < 2^15). So:
 *   - the weights w (int8) go to the i7 side shifted by +64: u = w + 64 ∈ [0, 127], which holds
 *     exactly when every weight is in [-64, 63] (the kernels' caller checks; 7-bit weights);
 *   - the activations go to the i8 side as they are (int8) or as x − 128 (uint8);
 * every operand is packed as p = v + d (d = 64, −128 or 0) with its zero point z' = z + d, so
 * v − z = p − z', and per k block
 *   Σ (pa − za')(pb − zb') = Σ pa·pb − zb'·Σ pa − za'·(Σ pb − kc·zb'),
 * with Σ pa per row and Σ pb per column summed while packing. All of it is wrapping int32, a
 * ring homomorphism mod 2^32, so the accumulator equals qgemm's Σ (a − aZp)(b − bZp) bit for bit.
 * k is packed in quads (one i32 lane: 4 bytes of a row / column), padded with zeros.
 */
import { MR, NR, KC, MC, NC, AP_BYTES, BP_BYTES, CACC_BYTES, ceilDiv, roundUp, requantTile, rqPerRowNow } from './qgemm';

/** Which operand holds the weights (the i7 side): the template argument W of qgemmRelaxed. */
export type WeightsInA = i8;
export type WeightsInB = u8;

// Per-row (A) / per-column (B) data after each packed block: shifted zero points z' then the
// sums (B: Σ pb − kc·zb'), i32 each.
const A_INFO: usize = <usize>(MC * KC);
const B_INFO: usize = <usize>(KC * NC);

/** A[0:mc, 0:kc] (A(i,p) = a[i·ars + p·acs]) + d as bytes in MR-row panels of k quads; z' and Σ per row at info. */
function packA8<T>(a: usize, ars: i32, acs: i32, mc: i32, kc: i32, zp: usize, zpStep: i32, d: i32, Ap: usize, info: usize): void {
  const kq = (kc + 3) >> 2;
  const dv = i8x16.splat(<i8>d);
  let o = Ap;
  for (let i0 = 0; i0 < mc; i0 += MR) {
    const h = mc - i0 < MR ? mc - i0 : MR;
    for (let i = 0; i < MR; i++) {
      store<i32>(info + (<usize>(i0 + i) << 2), i < h ? load<i32>(zp + (<usize>((i0 + i) * zpStep) << 2)) + d : 0);
    }
    const sums = info + (<usize>MC << 2) + (<usize>i0 << 2);
    if (h == MR && acs == 1) {
      const r0 = a + <usize>(i0 * ars);
      const r1 = r0 + <usize>ars, r2 = r1 + <usize>ars, r3 = r2 + <usize>ars;
      let s0 = i32x4.splat(0);
      let s1 = s0, s2 = s0, s3 = s0;
      let p = 0;
      for (; p + 16 <= kc; p += 16) {
        // 4 quads of each row, then a 4×4 transpose of i32 lanes: one vector per quad
        const x0 = i8x16.add(v128.load(r0 + <usize>p), dv);
        const x1 = i8x16.add(v128.load(r1 + <usize>p), dv);
        const x2 = i8x16.add(v128.load(r2 + <usize>p), dv);
        const x3 = i8x16.add(v128.load(r3 + <usize>p), dv);
        s0 = i32x4.add(s0, i32x4.extadd_pairwise_i16x8_s(i16x8.extadd_pairwise_i8x16_s(x0)));
        s1 = i32x4.add(s1, i32x4.extadd_pairwise_i16x8_s(i16x8.extadd_pairwise_i8x16_s(x1)));
        s2 = i32x4.add(s2, i32x4.extadd_pairwise_i16x8_s(i16x8.extadd_pairwise_i8x16_s(x2)));
        s3 = i32x4.add(s3, i32x4.extadd_pairwise_i16x8_s(i16x8.extadd_pairwise_i8x16_s(x3)));
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
      // horizontal sums: lanes of s0..s3 → one i32 per row
      const u01 = i32x4.add(v128.shuffle<i32>(s0, s1, 0, 2, 4, 6), v128.shuffle<i32>(s0, s1, 1, 3, 5, 7));
      const u23 = i32x4.add(v128.shuffle<i32>(s2, s3, 0, 2, 4, 6), v128.shuffle<i32>(s2, s3, 1, 3, 5, 7));
      let sv = i32x4.add(v128.shuffle<i32>(u01, u23, 0, 2, 4, 6), v128.shuffle<i32>(u01, u23, 1, 3, 5, 7));
      v128.store(sums, sv);
      for (; p < kc; p += 4) {
        for (let i = 0; i < MR; i++) {
          const r = a + <usize>((i0 + i) * ars + p);
          let s = load<i32>(sums + (<usize>i << 2));
          for (let t = 0; t < 4; t++) {
            const v: i32 = p + t < kc ? <i32><i8>(<i32>load<T>(r + <usize>t) + d) : 0;
            store<i8>(o + (<usize>(i << 2) + <usize>t), <i8>v);
            s += v;
          }
          store<i32>(sums + (<usize>i << 2), s);
        }
        o += <usize>(MR << 2);
      }
      continue;
    }
    for (let i = 0; i < MR; i++) store<i32>(sums + (<usize>i << 2), 0);
    for (let q = 0; q < kq; q++) {
      const p = q << 2;
      for (let i = 0; i < MR; i++) {
        let s = load<i32>(sums + (<usize>i << 2));
        for (let t = 0; t < 4; t++) {
          let v: i32 = 0;
          if (i < h && p + t < kc) v = <i32><i8>(<i32>load<T>(a + <usize>((i0 + i) * ars + (p + t) * acs)) + d);
          store<i8>(o + (<usize>(i << 2) + <usize>t), <i8>v);
          s += v;
        }
        store<i32>(sums + (<usize>i << 2), s);
      }
      o += <usize>(MR << 2);
    }
  }
}

/**
 * B[0:kc, 0:nc] (B(p,j) = b[p·brs + j·bcs]) + d as bytes in NR-column panels of k quads (per
 * quad, 4 bytes of each column); z' and Σ − kc·z' per column at info.
 */
function packB8<T>(b: usize, brs: i32, bcs: i32, kc: i32, nc: i32, zp: usize, zpStep: i32, d: i32, Bp: usize, info: usize): void {
  const kq = (kc + 3) >> 2;
  const dv = i8x16.splat(<i8>d);
  const zero = i8x16.splat(0);
  const kcv = i32x4.splat(kc);
  let o = Bp;
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const w = nc - j0 < NR ? nc - j0 : NR;
    const zs = info + (<usize>j0 << 2);
    const sums = info + (<usize>NC << 2) + (<usize>j0 << 2);
    for (let j = 0; j < NR; j++) {
      store<i32>(zs + (<usize>j << 2), j < w ? load<i32>(zp + (<usize>((j0 + j) * zpStep) << 2)) + d : 0);
    }
    if (w == NR && bcs == 1) {
      let r = b + <usize>j0;
      const step = <usize>brs;
      let s0 = i32x4.splat(0);
      let s1 = s0;
      for (let q = 0; q < kq; q++) {
        const p = q << 2;
        const x0 = i8x16.add(v128.load64_zero(r), dv);
        const x1 = p + 1 < kc ? i8x16.add(v128.load64_zero(r + step), dv) : zero;
        const x2 = p + 2 < kc ? i8x16.add(v128.load64_zero(r + 2 * step), dv) : zero;
        const x3 = p + 3 < kc ? i8x16.add(v128.load64_zero(r + 3 * step), dv) : zero;
        const t01 = v128.shuffle<i8>(x0, x1, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
        const t23 = v128.shuffle<i8>(x2, x3, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
        const o0 = v128.shuffle<i16>(t01, t23, 0, 8, 1, 9, 2, 10, 3, 11);
        const o1 = v128.shuffle<i16>(t01, t23, 4, 12, 5, 13, 6, 14, 7, 15);
        v128.store(o, o0);
        v128.store(o, o1, 16);
        s0 = i32x4.add(s0, i32x4.extadd_pairwise_i16x8_s(i16x8.extadd_pairwise_i8x16_s(o0)));
        s1 = i32x4.add(s1, i32x4.extadd_pairwise_i16x8_s(i16x8.extadd_pairwise_i8x16_s(o1)));
        o += 32;
        r += step << 2;
      }
      v128.store(sums, i32x4.sub(s0, i32x4.mul(kcv, v128.load(zs))));
      v128.store(sums, i32x4.sub(s1, i32x4.mul(kcv, v128.load(zs, 16))), 16);
      continue;
    }
    for (let j = 0; j < NR; j++) store<i32>(sums + (<usize>j << 2), 0);
    for (let q = 0; q < kq; q++) {
      const p = q << 2;
      for (let j = 0; j < NR; j++) {
        let s = load<i32>(sums + (<usize>j << 2));
        for (let t = 0; t < 4; t++) {
          let v: i32 = 0;
          if (j < w && p + t < kc) v = <i32><i8>(<i32>load<T>(b + <usize>((p + t) * brs + (j0 + j) * bcs)) + d);
          store<i8>(o + (<usize>(j << 2) + <usize>t), <i8>v);
          s += v;
        }
        store<i32>(sums + (<usize>j << 2), s);
      }
      o += <usize>(NR << 2);
    }
    for (let j = 0; j < NR; j++) {
      store<i32>(sums + (<usize>j << 2), load<i32>(sums + (<usize>j << 2)) - kc * load<i32>(zs + (<usize>j << 2)));
    }
  }
}

/**
 * c + the 4-byte dot products of a and b, with the weights' operand (in [0, 127]) on the i7 side:
 * `i16x8.relaxed_dot_i8x16_i7x16_s` (pair sums, |·| ≤ 32512: no saturation), widened by
 * `extadd_pairwise` — on x86 the same pmaddubsw + pmaddwd + paddd that the fused
 * `i32x4.relaxed_dot_i8x16_i7x16_add_s` lowers to, which is not used: Node 20's V8 (11.3)
 * miscompiles it in its baseline compiler (Liftoff gives one accumulator another's sum).
 */
@inline function dotAdd<W>(a: v128, b: v128, c: v128): v128 {
  const d = isSigned<W>() ? i16x8.relaxed_dot_i8x16_i7x16_s(b, a) : i16x8.relaxed_dot_i8x16_i7x16_s(a, b);
  return i32x4.add(c, i32x4.extadd_pairwise_i16x8_s(d));
}

/** One row's correction: acc − (zb'·Σ pa + za'·(Σ pb − kc·zb')). */
@inline function corrected(acc: v128, zb: v128, sa: v128, za: v128, sb: v128): v128 {
  return i32x4.sub(acc, i32x4.add(i32x4.mul(zb, sa), i32x4.mul(za, sb)));
}

/** C[MR×NR] int32 (+)= the corrected Ap panel · Bp panel over kq k quads; ldc in bytes. */
function qmicroRelaxed<W>(kq: i32, ap: usize, bp: usize, c: usize, ldc: usize, accum: bool, ainfo: usize, binfo: usize): void {
  let c00 = i32x4.splat(0);
  let c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  for (let q = 0; q < kq; q++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let a = v128.load32_splat(ap);
    c00 = dotAdd<W>(a, b0, c00);
    c01 = dotAdd<W>(a, b1, c01);
    a = v128.load32_splat(ap, 4);
    c10 = dotAdd<W>(a, b0, c10);
    c11 = dotAdd<W>(a, b1, c11);
    a = v128.load32_splat(ap, 8);
    c20 = dotAdd<W>(a, b0, c20);
    c21 = dotAdd<W>(a, b1, c21);
    a = v128.load32_splat(ap, 12);
    c30 = dotAdd<W>(a, b0, c30);
    c31 = dotAdd<W>(a, b1, c31);
    ap += 16;
    bp += 32;
  }
  const zb0 = v128.load(binfo), zb1 = v128.load(binfo, 16);
  const sb0 = v128.load(binfo + (<usize>NC << 2)), sb1 = v128.load(binfo + (<usize>NC << 2), 16);
  const sa = ainfo + (<usize>MC << 2);
  let za = v128.load32_splat(ainfo), s = v128.load32_splat(sa);
  c00 = corrected(c00, zb0, s, za, sb0);
  c01 = corrected(c01, zb1, s, za, sb1);
  za = v128.load32_splat(ainfo, 4); s = v128.load32_splat(sa, 4);
  c10 = corrected(c10, zb0, s, za, sb0);
  c11 = corrected(c11, zb1, s, za, sb1);
  za = v128.load32_splat(ainfo, 8); s = v128.load32_splat(sa, 8);
  c20 = corrected(c20, zb0, s, za, sb0);
  c21 = corrected(c21, zb1, s, za, sb1);
  za = v128.load32_splat(ainfo, 12); s = v128.load32_splat(sa, 12);
  c30 = corrected(c30, zb0, s, za, sb0);
  c31 = corrected(c31, zb1, s, za, sb1);
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

/**
 * qgemm's product (same arguments, same epilogue set by setRequant) on the relaxed dot: A's
 * bytes are packed + dA, B's + dB (64 for the weights' side, −128 for uint8 activations, 0 for
 * int8 ones); W (WeightsInA | WeightsInB) says which operand holds the weights, each of them in
 * [-64, 63]. `scratch`: QGEMM_SCRATCH_BYTES of this thread.
 */
export function qgemmRelaxed<TA, TB, W>(
  m: i32, n: i32, k: i32,
  a: usize, ars: i32, acs: i32, aZp: usize, aZpStep: i32, dA: i32,
  b: usize, brs: i32, bcs: i32, bZp: usize, bZpStep: i32, dB: i32,
  y: usize, ldy: i32, mult: usize, bias: usize, scratch: usize,
): void {
  if (m <= 0 || n <= 0) return;
  const perRow = rqPerRowNow();
  const Ap = scratch;
  const Bp = Ap + AP_BYTES;
  const Cacc = Bp + BP_BYTES;
  const tile = Cacc + CACC_BYTES;
  const tileAcc = tile + <usize>(MR * NR);
  const ainfo = Ap + A_INFO;
  const binfo = Bp + B_INFO;
  const nk = k > 0 ? ceilDiv(k, KC) : 1;
  // k blocks of about equal size, multiples of 4 (the last may be shorter)
  const kb = nk == 1 ? k : roundUp(ceilDiv(k, nk), 4);
  const ldcc: usize = <usize>(NC << 2);
  const ldyB = <usize>ldy;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = n - jc < NC ? n - jc : NC;
    for (let ic = 0; ic < m; ic += MC) {
      const mc = m - ic < MC ? m - ic : MC;
      for (let pc = 0; pc == 0 || pc < k; pc += kb) {
        const kc = k - pc < kb ? k - pc : kb;
        const kq = (kc + 3) >> 2;
        const first = pc == 0;
        const last = pc + kb >= k;
        if (!(nk == 1 && ic > 0)) packB8<TB>(b + <usize>(pc * brs + jc * bcs), brs, bcs, kc, nc, bZp + (<usize>(jc * bZpStep) << 2), bZpStep, dB, Bp, binfo);
        packA8<TA>(a + <usize>(ic * ars + pc * acs), ars, acs, mc, kc, aZp + (<usize>(ic * aZpStep) << 2), aZpStep, dA, Ap, ainfo);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = nc - jr < NR ? nc - jr : NR;
          const bp = Bp + (<usize>(jr * kq) << 2);
          const bi = binfo + (<usize>jr << 2);
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = mc - ir < MR ? mc - ir : MR;
            const ap = Ap + (<usize>(ir * kq) << 2);
            const ai = ainfo + (<usize>ir << 2);
            const cacc = Cacc + <usize>ir * ldcc + (<usize>jr << 2);
            const gi = ic + ir;
            const gj = jc + jr;
            const pidx = perRow ? gi : gj;
            const pm = mult + (<usize>pidx << 2);
            const pb = bias ? bias + (<usize>pidx << 2) : 0;
            if (!last || nk > 1) {
              qmicroRelaxed<W>(kq, ap, bp, cacc, ldcc, !first, ai, bi);
              if (!last) continue;
            } else {
              qmicroRelaxed<W>(kq, ap, bp, tileAcc, <usize>(NR << 2), false, ai, bi);
            }
            const src = nk > 1 ? cacc : tileAcc;
            const lds: usize = nk > 1 ? ldcc : <usize>(NR << 2);
            if (mr == MR && nr == NR) {
              requantTile(src, lds, y + <usize>gi * ldyB + <usize>gj, ldyB, pm, pb);
            } else {
              requantTile(src, lds, tile, <usize>NR, pm, pb);
              for (let i = 0; i < mr; i++) {
                const dst = y + <usize>(gi + i) * ldyB + <usize>gj;
                const t = tile + <usize>(i * NR);
                for (let j = 0; j < nr; j++) store<u8>(dst + <usize>j, load<u8>(t + <usize>j));
              }
            }
          }
        }
        if (k <= 0) break;
      }
    }
  }
}
