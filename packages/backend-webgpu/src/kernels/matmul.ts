/**
 * Batched matmul (fast path): `a [Ba,m,k] (or [Ba,k,m] with transA) @ b [Bb,k,n] (or [Bb,n,k]
 * with transB)`, Ba/Bb equal or 1.
 *
 * Tiled and register-blocked: a workgroup of wx×wy threads computes a (wy·tm)×(wx·tn) tile of
 * the output; per step of `bk` along k it stages an A and a B panel in workgroup memory, then
 * each thread accumulates its tm×tn block from registers. Transposes are folded into the panel
 * loads. The tile shape comes from the adapter's limits (`matmulTile`); small products use a
 * small tile so few idle threads are launched.
 */
import { matmulDims, type DType } from '@mapnn/core/backend';
import { wrapExpr } from '../dtype.js';
import { header, Uniforms } from '../wgsl.js';
import { gpuKernel, type GpuKernels } from './register.js';

/** Shape of the work of one matmul workgroup. */
export interface MatmulTile {
  /** Threads along n (x) and m (y). */
  wx: number;
  wy: number;
  /** Outputs per thread along m and n. */
  tm: number;
  tn: number;
  /** Depth of one k step. */
  bk: number;
}

type Limits = Pick<GPUSupportedLimits, 'maxComputeInvocationsPerWorkgroup' | 'maxComputeWorkgroupSizeX' | 'maxComputeWorkgroupSizeY' | 'maxComputeWorkgroupStorageSize'>;

/** The tile for an m×n×k product on a device with `limits`. */
export function matmulTile(m: number, n: number, _k: number, limits: Limits): MatmulTile {
  const small = m * n <= 4096 || m <= 8 || n <= 8;
  const t: MatmulTile = small ? { wx: 8, wy: 8, tm: 2, tn: 2, bk: 8 } : { wx: 16, wy: 16, tm: 4, tn: 4, bk: 16 };
  while (t.wx * t.wy > limits.maxComputeInvocationsPerWorkgroup || t.wx > limits.maxComputeWorkgroupSizeX || t.wy > limits.maxComputeWorkgroupSizeY) {
    if (t.wx >= t.wy) t.wx /= 2;
    else t.wy /= 2;
  }
  while (t.bk > 1 && t.bk * (t.wy * t.tm + t.wx * t.tn) * 4 > limits.maxComputeWorkgroupStorageSize) t.bk /= 2;
  return t;
}

/**
 * A GEMM over workgroup tiles: C(gi, gj) = Σ_gp A(gi, gp)·B(gp, gj) for gi < M, gj < N,
 * gp < K. `prologue` runs first in every invocation (with `wid`, `lid` in scope) and must
 * define `M`, `N`, `K` and whatever the loads need; `loadA`/`loadB` are expressions in
 * `gi, gp` / `gp, gj` (called in bounds only); `store(v)` stores the value at (gi, gj).
 * Used by matmul and by the implicit-GEMM conv2d (whose B is the im2col matrix, never built).
 */
export interface Gemm {
  head: string;
  prologue: string;
  loadA: string;
  loadB: string;
  store(v: string): string;
}

export function gemmShader(t: MatmulTile, g: Gemm): string {
  const { wx, wy, tm, tn, bk } = t;
  const BM = wy * tm;
  const BN = wx * tn;
  return `${g.head}
var<workgroup> As: array<f32, ${bk * BM}>;
var<workgroup> Bs: array<f32, ${bk * BN}>;
@compute @workgroup_size(${wx}, ${wy}, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  ${g.prologue}
  let row0 = wid.y * ${BM}u;
  let col0 = wid.x * ${BN}u;
  let tid = lid.y * ${wx}u + lid.x;
  var acc: array<f32, ${tm * tn}>;
  for (var t = 0u; t < K; t = t + ${bk}u) {
    for (var e = tid; e < ${BM * bk}u; e = e + ${wx * wy}u) {
      let r = e / ${bk}u; let p = e % ${bk}u;
      let gi = row0 + r; let gp = t + p;
      var v = 0.0;
      if (gi < M && gp < K) { v = ${g.loadA}; }
      As[p * ${BM}u + r] = v;
    }
    for (var e = tid; e < ${bk * BN}u; e = e + ${wx * wy}u) {
      let p = e / ${BN}u; let c = e % ${BN}u;
      let gp = t + p; let gj = col0 + c;
      var v = 0.0;
      if (gp < K && gj < N) { v = ${g.loadB}; }
      Bs[p * ${BN}u + c] = v;
    }
    workgroupBarrier();
    for (var p = 0u; p < ${bk}u; p = p + 1u) {
      var a: array<f32, ${tm}>;
      var b: array<f32, ${tn}>;
      for (var r = 0u; r < ${tm}u; r = r + 1u) { a[r] = As[p * ${BM}u + lid.y * ${tm}u + r]; }
      for (var c = 0u; c < ${tn}u; c = c + 1u) { b[c] = Bs[p * ${BN}u + lid.x * ${tn}u + c]; }
      for (var r = 0u; r < ${tm}u; r = r + 1u) {
        for (var c = 0u; c < ${tn}u; c = c + 1u) { acc[r * ${tn}u + c] = acc[r * ${tn}u + c] + a[r] * b[c]; }
      }
    }
    workgroupBarrier();
  }
  for (var r = 0u; r < ${tm}u; r = r + 1u) {
    let gi = row0 + lid.y * ${tm}u + r;
    for (var c = 0u; c < ${tn}u; c = c + 1u) {
      let gj = col0 + lid.x * ${tn}u + c;
      if (gi < M && gj < N) { ${g.store(`acc[r * ${tn}u + c]`)} }
    }
  }
}`;
}

function matmulShader(t: MatmulTile, transA: boolean, transB: boolean, out: DType): string {
  return gemmShader(t, {
    head: header(8, 'f32', ['f32', 'f32']),
    prologue: `let M = m(0u); let N = m(1u); let K = m(2u);
  let batch = wid.z + m(5u);
  let aOff = select(0u, batch * M * K, m(3u) != 0u);
  let bOff = select(0u, batch * K * N, m(4u) != 0u);`,
    loadA: `in0[aOff + ${transA ? 'gp * M + gi' : 'gi * K + gp'}]`,
    loadB: `in1[bOff + ${transB ? 'gj * K + gp' : 'gp * N + gj'}]`,
    store: (v) => `out[batch * M * N + gi * N + gj] = ${wrapExpr(out, v)};`,
  });
}

const matmul = gpuKernel('matmul', ([a, b], attrs, be) => {
  const { transA, transB, ba, bb, batch, m, k, n } = matmulDims(a!.shape, b!.shape, attrs);
  const { info, buffer } = be.output([batch, m, n], a!.dtype);
  if (batch * m * n === 0) return info;
  const bufs = [buffer, be.buffer(a!, 'matmul'), be.buffer(b!, 'matmul')];
  const t = matmulTile(m, n, k, be.runtime.limits);
  const code = matmulShader(t, transA, transB, a!.dtype);
  const gx = Math.ceil(n / (t.wx * t.tn));
  const gy = Math.ceil(m / (t.wy * t.tm));
  const maxZ = be.runtime.limits.maxComputeWorkgroupsPerDimension;
  for (let b0 = 0; b0 < batch; b0 += maxZ) {
    const u = new Uniforms().u32(m, n, k, ba > 1 ? 1 : 0, bb > 1 ? 1 : 0, b0).build();
    be.runtime.dispatch({ code, buffers: bufs, uniforms: u, groups: [gx, gy, Math.min(maxZ, batch - b0)] });
  }
  return info;
});

export const matmulKernels = { matmul } satisfies GpuKernels;
