/**
 * Single-threaded GEMM in plain TypeScript: `C += A·B` for strided float32/float64 operands.
 *
 * Layout follows the classic Goto/BLIS scheme:
 *
 *   for jc in n step NC                 (B block fits L2)
 *     for pc in k step KC
 *       pack B[pc:pc+kc, jc:jc+nc] → Bp  (NR-wide column panels, zero-padded)
 *       for ic in m step MC              (A block fits L1/L2)
 *         pack A[ic:ic+mc, pc:pc+kc] → Ap (MR-tall row panels, zero-padded)
 *         for each NR×MR tile: micro-kernel over kc with MR·NR accumulators in locals
 *
 * Packed panels are Float64Array, so the micro-kernel reads doubles only (no float32 → float64
 * conversions in the hot loop) and accumulates in double precision; each KC block is added to
 * the output once, so a float32 output is rounded ⌈k/KC⌉ times per element. Transposed operands
 * are handled by the strides used while packing. Edge tiles are computed into a scratch tile
 * and only their valid part is added to C.
 */

import type { FloatArray } from '../cpu-backend.js';

export type { FloatArray };

const MR = 8;
const NR = 8;
const KC = 256;
const MC = 128;
const NC = 512;

// Packing buffers and the edge tile are reused across calls (kernels run synchronously).
let packA = new Float64Array(MC * KC);
let packB = new Float64Array(KC * NC);
const edge = new Float64Array(MR * NR);
let rowAcc = new Float64Array(64);

/**
 * `C[cOff + i·ldc + j] += Σ_p A(i,p)·B(p,j)` for i < m, j < n, p < k, where
 * `A(i,p) = a[aOff + i·ars + p·acs]` and `B(p,j) = b[bOff + p·brs + j·bcs]`.
 * Any strides are allowed, so transposed operands need no copy.
 */
export function gemm(
  m: number,
  n: number,
  k: number,
  a: FloatArray,
  aOff: number,
  ars: number,
  acs: number,
  b: FloatArray,
  bOff: number,
  brs: number,
  bcs: number,
  c: FloatArray,
  cOff: number,
  ldc: number,
): void {
  if (m <= 0 || n <= 0 || k <= 0) return;
  if (m < 4 || n < 4 || m * n * k <= 4096) {
    gemmSmall(m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, c, cOff, ldc);
    return;
  }
  // Split k and m into near-equal blocks (k = 288 → 2×144, not 256 + 32).
  const kb = Math.ceil(k / Math.ceil(k / KC));
  const mb = roundUp(Math.ceil(m / Math.ceil(m / MC)), MR);
  const nb = Math.min(NC, roundUp(n, NR));
  if (packB.length < kb * nb) packB = new Float64Array(kb * nb);
  if (packA.length < mb * kb) packA = new Float64Array(mb * kb);
  const Ap = packA;
  const Bp = packB;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    for (let pc = 0; pc < k; pc += kb) {
      const kc = Math.min(kb, k - pc);
      packPanelsB(b, bOff + pc * brs + jc * bcs, brs, bcs, kc, nc, Bp);
      for (let ic = 0; ic < m; ic += mb) {
        const mc = Math.min(mb, m - ic);
        packPanelsA(a, aOff + ic * ars + pc * acs, ars, acs, mc, kc, Ap);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = Math.min(NR, nc - jr);
          const bo = jr * kc;
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = Math.min(MR, mc - ir);
            const co = cOff + (ic + ir) * ldc + jc + jr;
            if (mr === MR && nr === NR) {
              kernel8x8(kc, Ap, ir * kc, Bp, bo, c, co, ldc);
            } else {
              edge.fill(0);
              kernel8x8(kc, Ap, ir * kc, Bp, bo, edge, 0, NR);
              for (let i = 0; i < mr; i++) {
                const r = co + i * ldc;
                for (let j = 0; j < nr; j++) c[r + j] += edge[i * NR + j]!;
              }
            }
          }
        }
      }
    }
  }
}

function roundUp(x: number, to: number): number {
  return Math.ceil(x / to) * to;
}

/** Packs an mc×kc block of A into MR-row panels: `Ap[panel·MR·kc + p·MR + i]`. */
function packPanelsA(a: FloatArray, off: number, rs: number, cs: number, mc: number, kc: number, Ap: Float64Array): void {
  let o = 0;
  for (let i0 = 0; i0 < mc; i0 += MR) {
    const h = Math.min(MR, mc - i0);
    const base = off + i0 * rs;
    if (h === MR && rs === 1) {
      // Row-strided source (transposed A): MR contiguous values per p.
      let r = base;
      for (let p = 0; p < kc; p++) {
        for (let i = 0; i < MR; i++) Ap[o + i] = a[r + i]!;
        o += MR;
        r += cs;
      }
    } else if (h === MR) {
      // Walk each of the MR rows contiguously along p.
      for (let i = 0; i < MR; i++) {
        let r = base + i * rs;
        let q = o + i;
        for (let p = 0; p < kc; p++) {
          Ap[q] = a[r]!;
          q += MR;
          r += cs;
        }
      }
      o += MR * kc;
    } else {
      for (let p = 0; p < kc; p++) {
        const r = base + p * cs;
        for (let i = 0; i < h; i++) Ap[o + i] = a[r + i * rs]!;
        for (let i = h; i < MR; i++) Ap[o + i] = 0;
        o += MR;
      }
    }
  }
}

/** Packs a kc×nc block of B into NR-column panels: `Bp[panel·NR·kc + p·NR + j]`. */
function packPanelsB(b: FloatArray, off: number, rs: number, cs: number, kc: number, nc: number, Bp: Float64Array): void {
  let o = 0;
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const w = Math.min(NR, nc - j0);
    const base = off + j0 * cs;
    if (w === NR && cs === 1) {
      let r = base;
      for (let p = 0; p < kc; p++) {
        Bp[o] = b[r]!;
        Bp[o + 1] = b[r + 1]!;
        Bp[o + 2] = b[r + 2]!;
        Bp[o + 3] = b[r + 3]!;
        Bp[o + 4] = b[r + 4]!;
        Bp[o + 5] = b[r + 5]!;
        Bp[o + 6] = b[r + 6]!;
        Bp[o + 7] = b[r + 7]!;
        o += NR;
        r += rs;
      }
    } else if (w === NR) {
      // Column-strided source (transposed B): walk each column contiguously along p.
      for (let j = 0; j < NR; j++) {
        let r = base + j * cs;
        let q = o + j;
        for (let p = 0; p < kc; p++) {
          Bp[q] = b[r]!;
          q += NR;
          r += rs;
        }
      }
      o += NR * kc;
    } else {
      for (let p = 0; p < kc; p++) {
        const r = base + p * rs;
        for (let j = 0; j < w; j++) Bp[o + j] = b[r + j * cs]!;
        for (let j = w; j < NR; j++) Bp[o + j] = 0;
        o += NR;
      }
    }
  }
}

/**
 * The 8×8 micro-kernel: `C[co + i·ldc + j] += Σ_p Ap[ao + 8p + i]·Bp[bo + 8p + j]`.
 * 64 accumulators live in locals; each step loads 8 values of A and 8 of B.
 */
function kernel8x8(kc: number, Ap: Float64Array, ao: number, Bp: Float64Array, bo: number, C: FloatArray, co: number, ldc: number): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c04 = 0, c05 = 0, c06 = 0, c07 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0, c14 = 0, c15 = 0, c16 = 0, c17 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c24 = 0, c25 = 0, c26 = 0, c27 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0, c34 = 0, c35 = 0, c36 = 0, c37 = 0;
  let c40 = 0, c41 = 0, c42 = 0, c43 = 0, c44 = 0, c45 = 0, c46 = 0, c47 = 0;
  let c50 = 0, c51 = 0, c52 = 0, c53 = 0, c54 = 0, c55 = 0, c56 = 0, c57 = 0;
  let c60 = 0, c61 = 0, c62 = 0, c63 = 0, c64 = 0, c65 = 0, c66 = 0, c67 = 0;
  let c70 = 0, c71 = 0, c72 = 0, c73 = 0, c74 = 0, c75 = 0, c76 = 0, c77 = 0;
  for (let p = 0; p < kc; p++) {
    const a0 = Ap[ao]!, a1 = Ap[ao + 1]!, a2 = Ap[ao + 2]!, a3 = Ap[ao + 3]!, a4 = Ap[ao + 4]!, a5 = Ap[ao + 5]!, a6 = Ap[ao + 6]!, a7 = Ap[ao + 7]!;
    let v = 0;
    v = Bp[bo]!;
    c00 += a0 * v; c10 += a1 * v; c20 += a2 * v; c30 += a3 * v; c40 += a4 * v; c50 += a5 * v; c60 += a6 * v; c70 += a7 * v;
    v = Bp[bo + 1]!;
    c01 += a0 * v; c11 += a1 * v; c21 += a2 * v; c31 += a3 * v; c41 += a4 * v; c51 += a5 * v; c61 += a6 * v; c71 += a7 * v;
    v = Bp[bo + 2]!;
    c02 += a0 * v; c12 += a1 * v; c22 += a2 * v; c32 += a3 * v; c42 += a4 * v; c52 += a5 * v; c62 += a6 * v; c72 += a7 * v;
    v = Bp[bo + 3]!;
    c03 += a0 * v; c13 += a1 * v; c23 += a2 * v; c33 += a3 * v; c43 += a4 * v; c53 += a5 * v; c63 += a6 * v; c73 += a7 * v;
    v = Bp[bo + 4]!;
    c04 += a0 * v; c14 += a1 * v; c24 += a2 * v; c34 += a3 * v; c44 += a4 * v; c54 += a5 * v; c64 += a6 * v; c74 += a7 * v;
    v = Bp[bo + 5]!;
    c05 += a0 * v; c15 += a1 * v; c25 += a2 * v; c35 += a3 * v; c45 += a4 * v; c55 += a5 * v; c65 += a6 * v; c75 += a7 * v;
    v = Bp[bo + 6]!;
    c06 += a0 * v; c16 += a1 * v; c26 += a2 * v; c36 += a3 * v; c46 += a4 * v; c56 += a5 * v; c66 += a6 * v; c76 += a7 * v;
    v = Bp[bo + 7]!;
    c07 += a0 * v; c17 += a1 * v; c27 += a2 * v; c37 += a3 * v; c47 += a4 * v; c57 += a5 * v; c67 += a6 * v; c77 += a7 * v;
    ao += 8;
    bo += 8;
  }
  let r = co;
  C[r] += c00; C[r + 1] += c01; C[r + 2] += c02; C[r + 3] += c03; C[r + 4] += c04; C[r + 5] += c05; C[r + 6] += c06; C[r + 7] += c07;
  r += ldc;
  C[r] += c10; C[r + 1] += c11; C[r + 2] += c12; C[r + 3] += c13; C[r + 4] += c14; C[r + 5] += c15; C[r + 6] += c16; C[r + 7] += c17;
  r += ldc;
  C[r] += c20; C[r + 1] += c21; C[r + 2] += c22; C[r + 3] += c23; C[r + 4] += c24; C[r + 5] += c25; C[r + 6] += c26; C[r + 7] += c27;
  r += ldc;
  C[r] += c30; C[r + 1] += c31; C[r + 2] += c32; C[r + 3] += c33; C[r + 4] += c34; C[r + 5] += c35; C[r + 6] += c36; C[r + 7] += c37;
  r += ldc;
  C[r] += c40; C[r + 1] += c41; C[r + 2] += c42; C[r + 3] += c43; C[r + 4] += c44; C[r + 5] += c45; C[r + 6] += c46; C[r + 7] += c47;
  r += ldc;
  C[r] += c50; C[r + 1] += c51; C[r + 2] += c52; C[r + 3] += c53; C[r + 4] += c54; C[r + 5] += c55; C[r + 6] += c56; C[r + 7] += c57;
  r += ldc;
  C[r] += c60; C[r + 1] += c61; C[r + 2] += c62; C[r + 3] += c63; C[r + 4] += c64; C[r + 5] += c65; C[r + 6] += c66; C[r + 7] += c67;
  r += ldc;
  C[r] += c70; C[r + 1] += c71; C[r + 2] += c72; C[r + 3] += c73; C[r + 4] += c74; C[r + 5] += c75; C[r + 6] += c76; C[r + 7] += c77;
}

/**
 * Unpacked path for tiny or skinny products (m < 4, n < 4, or few flops), accumulating whole
 * rows in doubles: axpy form when B's rows are contiguous, dot form otherwise.
 */
function gemmSmall(
  m: number,
  n: number,
  k: number,
  a: FloatArray,
  aOff: number,
  ars: number,
  acs: number,
  b: FloatArray,
  bOff: number,
  brs: number,
  bcs: number,
  c: FloatArray,
  cOff: number,
  ldc: number,
): void {
  if (bcs === 1 && n > 1) {
    if (rowAcc.length < n) rowAcc = new Float64Array(n);
    const acc = rowAcc;
    for (let i = 0; i < m; i++) {
      acc.fill(0, 0, n);
      const ar = aOff + i * ars;
      for (let p = 0; p < k; p++) {
        const av = a[ar + p * acs]!;
        const br = bOff + p * brs;
        for (let j = 0; j < n; j++) acc[j] += av * b[br + j]!;
      }
      const cr = cOff + i * ldc;
      for (let j = 0; j < n; j++) c[cr + j] += acc[j]!;
    }
  } else {
    for (let i = 0; i < m; i++) {
      const ar = aOff + i * ars;
      const cr = cOff + i * ldc;
      for (let j = 0; j < n; j++) {
        const bc = bOff + j * bcs;
        let s = 0;
        for (let p = 0; p < k; p++) s += a[ar + p * acs]! * b[bc + p * brs]!;
        c[cr + j] += s;
      }
    }
  }
}
