/**
 * Matrix multiply: packed Goto/BLIS GEMM with a register-blocked SIMD micro-kernel.
 *
 *   for jc in n step NC                 (packed B block, per thread)
 *     for pc in k step KC
 *       pack B[pc:pc+kc, jc:jc+nc] → Bp  (NR-wide column panels, zero-padded)
 *       for ic in m step MC
 *         pack A[ic:ic+mc, pc:pc+kc] → Ap (MR-tall row panels, zero-padded)
 *         for each MR×NR tile: micro-kernel over kc, accumulators in v128 locals
 *
 * float32: MR×NR = 4×8 (8 f32x4 accumulators), float64: 4×4 (8 f64x2 accumulators).
 * Operands are strided (A(i,p) = a[i·ars + p·acs], B(p,j) = b[p·brs + j·bcs]) so transposes
 * cost nothing but the packing walk. Tiny products skip packing. Threads split the output into
 * units (batch × row chunks × column chunks), each with its own packing scratch; a thread claims
 * the next unit from a shared counter when it is done with one, so a thread that starts late or
 * is descheduled (a loaded machine) leaves its units to the others instead of holding up the job.
 */
import { F32, argI, argP } from './common';
import { ACT_RELU } from './op-codes';
import { QGEMM_SCRATCH_BYTES } from './qgemm';

const MR: i32 = 4;
const NR: i32 = 8;
const KC: i32 = 256;
const MC: i32 = 128;
const NC: i32 = 1024;

const MR64: i32 = 4;
const NR64: i32 = 4;
const KC64: i32 = 128;
const MC64: i32 = 128;
const NC64: i32 = 1024;

const A_BYTES: usize = <usize>(MC * KC * 4); // = MC64·KC64·8
const B_BYTES: usize = <usize>(KC * NC * 4); // = KC64·NC64·8
const TILE_BYTES: usize = 512;

/** Bytes of packing scratch each thread needs (the int8 GEMM's included). */
export function gemmScratchBytes(): usize {
  const f = A_BYTES + B_BYTES + TILE_BYTES;
  return f > QGEMM_SCRATCH_BYTES ? f : QGEMM_SCRATCH_BYTES;
}

@inline function ceilDiv(a: i32, b: i32): i32 {
  return (a + b - 1) / b;
}
@inline function roundUp(a: i32, b: i32): i32 {
  return ceilDiv(a, b) * b;
}

// ---------------------------------------------------------------- float32

function packA32(a: usize, ars: i32, acs: i32, mc: i32, kc: i32, Ap: usize): void {
  let o = Ap;
  for (let i0 = 0; i0 < mc; i0 += MR) {
    const h = mc - i0 < MR ? mc - i0 : MR;
    const base = a + (<usize>(i0 * ars) << 2);
    if (h == MR && ars == 1) {
      let r = base;
      const step = <usize>acs << 2;
      for (let p = 0; p < kc; p++) {
        v128.store(o, v128.load(r));
        o += 16;
        r += step;
      }
    } else if (h == MR) {
      for (let i = 0; i < MR; i++) {
        let r = base + (<usize>(i * ars) << 2);
        let q = o + (<usize>i << 2);
        const step = <usize>acs << 2;
        for (let p = 0; p < kc; p++) {
          store<f32>(q, load<f32>(r));
          q += <usize>(MR << 2);
          r += step;
        }
      }
      o += <usize>(MR * kc) << 2;
    } else {
      for (let p = 0; p < kc; p++) {
        const r = base + (<usize>(p * acs) << 2);
        for (let i = 0; i < MR; i++) store<f32>(o + (<usize>i << 2), i < h ? load<f32>(r + (<usize>(i * ars) << 2)) : 0);
        o += <usize>(MR << 2);
      }
    }
  }
}

function packB32(b: usize, brs: i32, bcs: i32, kc: i32, nc: i32, Bp: usize): void {
  let o = Bp;
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const w = nc - j0 < NR ? nc - j0 : NR;
    const base = b + (<usize>(j0 * bcs) << 2);
    if (w == NR && bcs == 1) {
      let r = base;
      const step = <usize>brs << 2;
      for (let p = 0; p < kc; p++) {
        v128.store(o, v128.load(r));
        v128.store(o, v128.load(r, 16), 16);
        o += 32;
        r += step;
      }
    } else if (w == NR) {
      for (let j = 0; j < NR; j++) {
        let r = base + (<usize>(j * bcs) << 2);
        let q = o + (<usize>j << 2);
        const step = <usize>brs << 2;
        for (let p = 0; p < kc; p++) {
          store<f32>(q, load<f32>(r));
          q += <usize>(NR << 2);
          r += step;
        }
      }
      o += <usize>(NR * kc) << 2;
    } else {
      for (let p = 0; p < kc; p++) {
        const r = base + (<usize>(p * brs) << 2);
        for (let j = 0; j < NR; j++) store<f32>(o + (<usize>j << 2), j < w ? load<f32>(r + (<usize>(j * bcs) << 2)) : 0);
        o += <usize>(NR << 2);
      }
    }
  }
}

/** C[4×8] (+)= Ap panel · Bp panel over kc; ldc in bytes. */
function micro32(kc: i32, ap: usize, bp: usize, c: usize, ldc: usize, accum: bool): void {
  let c00 = f32x4.splat(0);
  let c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let a = v128.load32_splat(ap);
    c00 = f32x4.add(c00, f32x4.mul(a, b0));
    c01 = f32x4.add(c01, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 4);
    c10 = f32x4.add(c10, f32x4.mul(a, b0));
    c11 = f32x4.add(c11, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 8);
    c20 = f32x4.add(c20, f32x4.mul(a, b0));
    c21 = f32x4.add(c21, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 12);
    c30 = f32x4.add(c30, f32x4.mul(a, b0));
    c31 = f32x4.add(c31, f32x4.mul(a, b1));
    ap += 16;
    bp += 32;
  }
  if (accum) {
    c00 = f32x4.add(c00, v128.load(c));
    c01 = f32x4.add(c01, v128.load(c, 16));
    c10 = f32x4.add(c10, v128.load(c + ldc));
    c11 = f32x4.add(c11, v128.load(c + ldc, 16));
    c20 = f32x4.add(c20, v128.load(c + 2 * ldc));
    c21 = f32x4.add(c21, v128.load(c + 2 * ldc, 16));
    c30 = f32x4.add(c30, v128.load(c + 3 * ldc));
    c31 = f32x4.add(c31, v128.load(c + 3 * ldc, 16));
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

/** Unpacked product for tiny or skinny shapes: axpy rows when B's rows are contiguous, else dots. */
function small32(m: i32, n: i32, k: i32, a: usize, ars: i32, acs: i32, b: usize, brs: i32, bcs: i32, c: usize, ldc: i32, beta: bool): void {
  for (let i = 0; i < m; i++) {
    const cr = c + (<usize>(i * ldc) << 2);
    const ar = a + (<usize>(i * ars) << 2);
    if (bcs == 1 && n >= 4) {
      if (!beta) memory.fill(cr, 0, <usize>n << 2);
      for (let p = 0; p < k; p++) {
        const av = load<f32>(ar + (<usize>(p * acs) << 2));
        const avv = f32x4.splat(av);
        const br = b + (<usize>(p * brs) << 2);
        let j = 0;
        for (; j + 4 <= n; j += 4) {
          const o = <usize>j << 2;
          v128.store(cr + o, f32x4.add(v128.load(cr + o), f32x4.mul(avv, v128.load(br + o))));
        }
        for (; j < n; j++) {
          const o = <usize>j << 2;
          store<f32>(cr + o, load<f32>(cr + o) + av * load<f32>(br + o));
        }
      }
    } else {
      for (let j = 0; j < n; j++) {
        const bc = b + (<usize>(j * bcs) << 2);
        let s: f64 = 0;
        if (acs == 1 && brs == 1) {
          let acc = f32x4.splat(0);
          let p = 0;
          for (; p + 4 <= k; p += 4) acc = f32x4.add(acc, f32x4.mul(v128.load(ar + (<usize>p << 2)), v128.load(bc + (<usize>p << 2))));
          s = <f64>f32x4.extract_lane(acc, 0) + <f64>f32x4.extract_lane(acc, 1) + <f64>f32x4.extract_lane(acc, 2) + <f64>f32x4.extract_lane(acc, 3);
          for (; p < k; p++) s += <f64>load<f32>(ar + (<usize>p << 2)) * <f64>load<f32>(bc + (<usize>p << 2));
        } else {
          for (let p = 0; p < k; p++) s += <f64>load<f32>(ar + (<usize>(p * acs) << 2)) * <f64>load<f32>(bc + (<usize>(p * brs) << 2));
        }
        const o = cr + (<usize>j << 2);
        store<f32>(o, beta ? load<f32>(o) + <f32>s : <f32>s);
      }
    }
  }
}

/** C (m×n, row stride ldc) = A·B for float32 (`beta`: C += A·B). */
export function gemm32(m: i32, n: i32, k: i32, a: usize, ars: i32, acs: i32, b: usize, brs: i32, bcs: i32, c: usize, ldc: i32, scratch: usize, beta: bool = false): void {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    if (!beta) for (let i = 0; i < m; i++) memory.fill(c + (<usize>(i * ldc) << 2), 0, <usize>n << 2);
    return;
  }
  if (m < MR || n < NR || <i64>m * <i64>n * <i64>k <= 32768) {
    small32(m, n, k, a, ars, acs, b, brs, bcs, c, ldc, beta);
    return;
  }
  const Ap = scratch;
  const Bp = scratch + A_BYTES;
  const tile = Bp + B_BYTES;
  const kb = ceilDiv(k, ceilDiv(k, KC));
  const mb = roundUp(ceilDiv(m, ceilDiv(m, MC)), MR);
  const ldcB = <usize>ldc << 2;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = n - jc < NC ? n - jc : NC;
    for (let pc = 0; pc < k; pc += kb) {
      const kc = k - pc < kb ? k - pc : kb;
      const accum = pc > 0 || beta;
      packB32(b + (<usize>(pc * brs + jc * bcs) << 2), brs, bcs, kc, nc, Bp);
      for (let ic = 0; ic < m; ic += mb) {
        const mc = m - ic < mb ? m - ic : mb;
        packA32(a + (<usize>(ic * ars + pc * acs) << 2), ars, acs, mc, kc, Ap);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = nc - jr < NR ? nc - jr : NR;
          const bp = Bp + (<usize>(jr * kc) << 2);
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = mc - ir < MR ? mc - ir : MR;
            const ap = Ap + (<usize>(ir * kc) << 2);
            const cp = c + (<usize>((ic + ir) * ldc + jc + jr) << 2);
            if (mr == MR && nr == NR) {
              micro32(kc, ap, bp, cp, ldcB, accum);
            } else {
              micro32(kc, ap, bp, tile, <usize>(NR << 2), false);
              for (let i = 0; i < mr; i++) {
                for (let j = 0; j < nr; j++) {
                  const d = cp + <usize>i * ldcB + (<usize>j << 2);
                  const v = load<f32>(tile + (<usize>(i * NR + j) << 2));
                  store<f32>(d, accum ? load<f32>(d) + v : v);
                }
              }
            }
          }
        }
      }
    }
  }
}

// ---------------------------------------------------------------- float64

function packA64(a: usize, ars: i32, acs: i32, mc: i32, kc: i32, Ap: usize): void {
  let o = Ap;
  for (let i0 = 0; i0 < mc; i0 += MR64) {
    const h = mc - i0 < MR64 ? mc - i0 : MR64;
    const base = a + (<usize>(i0 * ars) << 3);
    for (let p = 0; p < kc; p++) {
      const r = base + (<usize>(p * acs) << 3);
      for (let i = 0; i < MR64; i++) store<f64>(o + (<usize>i << 3), i < h ? load<f64>(r + (<usize>(i * ars) << 3)) : 0);
      o += <usize>(MR64 << 3);
    }
  }
}

function packB64(b: usize, brs: i32, bcs: i32, kc: i32, nc: i32, Bp: usize): void {
  let o = Bp;
  for (let j0 = 0; j0 < nc; j0 += NR64) {
    const w = nc - j0 < NR64 ? nc - j0 : NR64;
    const base = b + (<usize>(j0 * bcs) << 3);
    for (let p = 0; p < kc; p++) {
      const r = base + (<usize>(p * brs) << 3);
      for (let j = 0; j < NR64; j++) store<f64>(o + (<usize>j << 3), j < w ? load<f64>(r + (<usize>(j * bcs) << 3)) : 0);
      o += <usize>(NR64 << 3);
    }
  }
}

/** C[4×4] (+)= Ap · Bp over kc in float64; ldc in bytes. */
function micro64(kc: i32, ap: usize, bp: usize, c: usize, ldc: usize, accum: bool): void {
  let c00 = f64x2.splat(0);
  let c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let a = v128.load64_splat(ap);
    c00 = f64x2.add(c00, f64x2.mul(a, b0));
    c01 = f64x2.add(c01, f64x2.mul(a, b1));
    a = v128.load64_splat(ap, 8);
    c10 = f64x2.add(c10, f64x2.mul(a, b0));
    c11 = f64x2.add(c11, f64x2.mul(a, b1));
    a = v128.load64_splat(ap, 16);
    c20 = f64x2.add(c20, f64x2.mul(a, b0));
    c21 = f64x2.add(c21, f64x2.mul(a, b1));
    a = v128.load64_splat(ap, 24);
    c30 = f64x2.add(c30, f64x2.mul(a, b0));
    c31 = f64x2.add(c31, f64x2.mul(a, b1));
    ap += 32;
    bp += 32;
  }
  if (accum) {
    c00 = f64x2.add(c00, v128.load(c));
    c01 = f64x2.add(c01, v128.load(c, 16));
    c10 = f64x2.add(c10, v128.load(c + ldc));
    c11 = f64x2.add(c11, v128.load(c + ldc, 16));
    c20 = f64x2.add(c20, v128.load(c + 2 * ldc));
    c21 = f64x2.add(c21, v128.load(c + 2 * ldc, 16));
    c30 = f64x2.add(c30, v128.load(c + 3 * ldc));
    c31 = f64x2.add(c31, v128.load(c + 3 * ldc, 16));
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

function small64(m: i32, n: i32, k: i32, a: usize, ars: i32, acs: i32, b: usize, brs: i32, bcs: i32, c: usize, ldc: i32, beta: bool): void {
  for (let i = 0; i < m; i++) {
    const cr = c + (<usize>(i * ldc) << 3);
    const ar = a + (<usize>(i * ars) << 3);
    for (let j = 0; j < n; j++) {
      const bc = b + (<usize>(j * bcs) << 3);
      let s: f64 = 0;
      for (let p = 0; p < k; p++) s += load<f64>(ar + (<usize>(p * acs) << 3)) * load<f64>(bc + (<usize>(p * brs) << 3));
      const o = cr + (<usize>j << 3);
      store<f64>(o, beta ? load<f64>(o) + s : s);
    }
  }
}

/** C (m×n, row stride ldc) = A·B for float64 (`beta`: C += A·B). */
export function gemm64(m: i32, n: i32, k: i32, a: usize, ars: i32, acs: i32, b: usize, brs: i32, bcs: i32, c: usize, ldc: i32, scratch: usize, beta: bool = false): void {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    if (!beta) for (let i = 0; i < m; i++) memory.fill(c + (<usize>(i * ldc) << 3), 0, <usize>n << 3);
    return;
  }
  if (m < MR64 || n < NR64 || <i64>m * <i64>n * <i64>k <= 8192) {
    small64(m, n, k, a, ars, acs, b, brs, bcs, c, ldc, beta);
    return;
  }
  const Ap = scratch;
  const Bp = scratch + A_BYTES;
  const tile = Bp + B_BYTES;
  const kb = ceilDiv(k, ceilDiv(k, KC64));
  const mb = roundUp(ceilDiv(m, ceilDiv(m, MC64)), MR64);
  const ldcB = <usize>ldc << 3;
  for (let jc = 0; jc < n; jc += NC64) {
    const nc = n - jc < NC64 ? n - jc : NC64;
    for (let pc = 0; pc < k; pc += kb) {
      const kc = k - pc < kb ? k - pc : kb;
      const accum = pc > 0 || beta;
      packB64(b + (<usize>(pc * brs + jc * bcs) << 3), brs, bcs, kc, nc, Bp);
      for (let ic = 0; ic < m; ic += mb) {
        const mc = m - ic < mb ? m - ic : mb;
        packA64(a + (<usize>(ic * ars + pc * acs) << 3), ars, acs, mc, kc, Ap);
        for (let jr = 0; jr < nc; jr += NR64) {
          const nr = nc - jr < NR64 ? nc - jr : NR64;
          const bp = Bp + (<usize>(jr * kc) << 3);
          for (let ir = 0; ir < mc; ir += MR64) {
            const mr = mc - ir < MR64 ? mc - ir : MR64;
            const ap = Ap + (<usize>(ir * kc) << 3);
            const cp = c + (<usize>((ic + ir) * ldc + jc + jr) << 3);
            if (mr == MR64 && nr == NR64) {
              micro64(kc, ap, bp, cp, ldcB, accum);
            } else {
              micro64(kc, ap, bp, tile, <usize>(NR64 << 3), false);
              for (let i = 0; i < mr; i++) {
                for (let j = 0; j < nr; j++) {
                  const d = cp + <usize>i * ldcB + (<usize>j << 3);
                  const v = load<f64>(tile + (<usize>(i * NR64 + j) << 3));
                  store<f64>(d, accum ? load<f64>(d) + v : v);
                }
              }
            }
          }
        }
      }
    }
  }
}

// ---------------------------------------------------------------- epilogue (fusedMatmul, fusedConv2d)

/**
 * c[i, j] = act(c[i, j] + bias) over an mm×nn block (row stride ldc elements): bias[j] per
 * column (a matmul's output features) or, with `biasPerRow`, bias[i] per row (a convolution's
 * output channels); bias 0 = none, act 1 = relu — computed as the separate `add` and `maximum`
 * kernels would.
 */
export function epilogue32(c: usize, mm: i32, nn: i32, ldc: i32, bias: usize, biasPerRow: bool, act: i32): void {
  const zero = f32x4.splat(0);
  for (let i = 0; i < mm; i++) {
    const row = c + (<usize>(i * ldc) << 2);
    const rowBias = bias && biasPerRow ? load<f32>(bias + (<usize>i << 2)) : 0;
    const rowBiasV = f32x4.splat(rowBias);
    let j = 0;
    for (; j + 4 <= nn; j += 4) {
      const o = <usize>j << 2;
      let v = v128.load(row + o);
      if (bias) v = f32x4.add(v, biasPerRow ? rowBiasV : v128.load(bias + o));
      if (act == ACT_RELU) v = f32x4.max(v, zero);
      v128.store(row + o, v);
    }
    for (; j < nn; j++) {
      const o = <usize>j << 2;
      let v = load<f32>(row + o);
      if (bias) v += biasPerRow ? rowBias : load<f32>(bias + o);
      if (act == ACT_RELU) v = reluScalar<f32>(v);
      store<f32>(row + o, v);
    }
  }
}
export function epilogue64(c: usize, mm: i32, nn: i32, ldc: i32, bias: usize, biasPerRow: bool, act: i32): void {
  for (let i = 0; i < mm; i++) {
    const row = c + (<usize>(i * ldc) << 3);
    const rowBias = bias && biasPerRow ? load<f64>(bias + (<usize>i << 3)) : 0;
    for (let j = 0; j < nn; j++) {
      const o = <usize>j << 3;
      let v = load<f64>(row + o);
      if (bias) v += biasPerRow ? rowBias : load<f64>(bias + o);
      if (act == ACT_RELU) v = reluScalar<f64>(v);
      store<f64>(row + o, v);
    }
  }
}
/** max(v, 0) as the `maximum` kernel computes it (NaN stays NaN). */
@inline function reluScalar<T>(v: T): T {
  return v != v ? v : v > <T>0 ? v : <T>0;
}

/**
 * matmul(dtype, a, b, c, batch, ba, bb, m, n, k, ars, acs, brs, bcs, splitM, splitN, scratch,
 * scratchStride, counter, bias, act, sumBatch): c[t] = act(A[t]·B[t] + bias) for t < batch (A/B
 * batch 1 broadcasts; bias pointer 0 = none, act 0 = none, 1 = relu — the `fusedMatmul` kernel),
 * or with sumBatch ≠ 0 one m×n output c = Σ_t A[t]·B[t] (conv weight gradients over a batch);
 * slots 22, 23: batch strides of A and B in elements (0: contiguous, m·k and k·n). The
 * output is cut into batch × splitM × splitN units, which the threads claim one at a time from
 * the int32 at slot 18 (`counter`: JS writes 0.0 there, whose low word is integer 0); the
 * epilogue runs on each unit right after its product, while it is in cache.
 */
export function matmul(args: usize, tid: i32, nt: i32): void {
  const dt = argI(args, 0);
  const a = argP(args, 1);
  const b = argP(args, 2);
  const c = argP(args, 3);
  const batch = argI(args, 4);
  const ba = argI(args, 5);
  const bb = argI(args, 6);
  const m = argI(args, 7);
  const n = argI(args, 8);
  const k = argI(args, 9);
  const ars = argI(args, 10);
  const acs = argI(args, 11);
  const brs = argI(args, 12);
  const bcs = argI(args, 13);
  const splitM = argI(args, 14);
  const splitN = argI(args, 15);
  const scratch = argP(args, 16) + <usize>tid * argP(args, 17);
  const f32 = dt == F32;
  const es: usize = f32 ? 4 : 8;
  // sumBatch: c = Σ_t A[t]·B[t] (one m×n output; units cover it once, each summing the batch)
  const sumBatch = argI(args, 21) != 0;
  // batch strides of A and B in elements (0: contiguous batches, m·k and k·n)
  const sa: usize = argI(args, 22) != 0 ? <usize>argI(args, 22) : <usize>m * <usize>k;
  const sb: usize = argI(args, 23) != 0 ? <usize>argI(args, 23) : <usize>k * <usize>n;
  const per = splitM * splitN;
  const units = sumBatch ? per : batch * per;
  const mr = f32 ? MR : MR64;
  const nr = f32 ? NR : NR64;
  const mChunk = roundUp(ceilDiv(m, splitM), mr);
  const nChunk = roundUp(ceilDiv(n, splitN), nr);
  const counter = args + (<usize>18 << 3);
  const bias = argP(args, 19);
  const act = argI(args, 20);
  const fused = bias != 0 || act != 0;
  for (let u = atomic.add<i32>(counter, 1); u < units; u = atomic.add<i32>(counter, 1)) {
    const t = u / per;
    const r = u - t * per;
    const sm = r / splitN;
    const sn = r - sm * splitN;
    const i0 = sm * mChunk;
    const j0 = sn * nChunk;
    if (i0 >= m || j0 >= n) continue;
    const mm = m - i0 < mChunk ? m - i0 : mChunk;
    const nn = n - j0 < nChunk ? n - j0 : nChunk;
    const pc = c + (<usize>(sumBatch ? 0 : t) * <usize>m * <usize>n + <usize>i0 * <usize>n + <usize>j0) * es;
    const t0 = sumBatch ? 0 : t;
    const t1 = sumBatch ? batch : t + 1;
    for (let tt = t0; tt < t1; tt++) {
      const pa = a + (<usize>(ba == 1 ? 0 : tt) * sa + <usize>(i0 * ars)) * es;
      const pb = b + (<usize>(bb == 1 ? 0 : tt) * sb + <usize>(j0 * bcs)) * es;
      const beta = sumBatch && tt > 0;
      if (f32) gemm32(mm, nn, k, pa, ars, acs, pb, brs, bcs, pc, n, scratch, beta);
      else gemm64(mm, nn, k, pa, ars, acs, pb, brs, bcs, pc, n, scratch, beta);
    }
    if (fused) {
      const pbias = bias ? bias + <usize>j0 * es : 0;
      if (f32) epilogue32(pc, mm, nn, n, pbias, false, act);
      else epilogue64(pc, mm, nn, n, pbias, false, act);
    }
  }
}
