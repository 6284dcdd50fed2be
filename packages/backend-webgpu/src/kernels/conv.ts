/**
 * Convolution fast paths: `unfold2d` (im2col, one thread per column entry), `fold2d` (col2im,
 * one thread per image pixel summing the entries that land on it — a gather, so no atomics and
 * a fixed summation order) and `conv2d` as an implicit GEMM on the matmul tiles. The backward
 * convolutions are composed by core from these (unfold/fold + matmul).
 */
import { convGeometry, fold2dChannels, sizeOf, type ConvGeometry } from '@mapnn/core/backend';
import { wrapExpr } from '../dtype.js';
import { grid, header, main1d, Uniforms } from '../wgsl.js';
import { gemmShader, matmulTile } from './matmul.js';
import { gpuKernel, type GpuKernels } from './register.js';

/** Uniform words 1…12 shared by both shaders. */
function geomUniforms(total: number, C: number, H: number, W: number, g: ConvGeometry): Uniforms {
  return new Uniforms().u32(total, C, H, W, g.kh, g.kw, g.sh, g.sw, g.pt, g.pl, g.dh, g.dw, g.oh, g.ow);
}
const GEOM = `
  let C = m(1u); let H = i32(m(2u)); let W = i32(m(3u)); let kh = m(4u); let kw = m(5u);
  let sh = i32(m(6u)); let sw = i32(m(7u)); let pt = i32(m(8u)); let pl = i32(m(9u));
  let dh = i32(m(10u)); let dw = i32(m(11u)); let oh = m(12u); let ow = m(13u);`;

const unfold2d = gpuKernel('unfold2d', ([x], attrs, be) => {
  const [N, C, H, W] = x!.shape;
  const g = convGeometry(attrs, H, W, 'unfold2d');
  const L = g.oh * g.ow;
  const rows = C * g.kh * g.kw;
  const { info, buffer } = be.output([N, rows, L], x!.dtype);
  const total = N * rows * L;
  if (total === 0) return info;
  const u = geomUniforms(total, C, H, W, g).f32(attrs.padValue ?? 0);
  const body = `${GEOM}
  let L = oh * ow;
  let l = i % L;
  let row = (i / L) % (C * kh * kw);
  let n = i / (L * C * kh * kw);
  let c = row / (kh * kw);
  let ki = i32((row / kw) % kh);
  let kj = i32(row % kw);
  let iy = i32(l / ow) * sh - pt + ki * dh;
  let ix = i32(l % ow) * sw - pl + kj * dw;
  if (iy >= 0 && iy < H && ix >= 0 && ix < W) {
    out[i] = in0[((n * C + c) * u32(H) + u32(iy)) * u32(W) + u32(ix)];
  } else {
    out[i] = ${wrapExpr(x!.dtype, 'mf(14u)')};
  }`;
  const code = header(u.length, 'f32', ['f32']) + main1d(body);
  be.runtime.dispatch({ code, buffers: [buffer, be.buffer(x!, 'unfold2d')], uniforms: u.build(), groups: grid(total) });
  return info;
});

const fold2d = gpuKernel('fold2d', ([cols], attrs, be) => {
  const [H, W] = attrs.outputSize;
  const [N, rows, L] = cols!.shape;
  const g = convGeometry(attrs, H, W, 'fold2d');
  const C = fold2dChannels(g, rows, L, H, W);
  const { info, buffer } = be.output([N, C, H, W], cols!.dtype);
  const total = sizeOf([N, C, H, W]);
  if (total === 0) return info;
  const u = geomUniforms(total, C, H, W, g);
  const body = `${GEOM}
  let x = i32(i % u32(W));
  let y = i32((i / u32(W)) % u32(H));
  let nc = i / (u32(W) * u32(H));
  var acc = 0.0;
  for (var ki = 0u; ki < kh; ki = ki + 1u) {
    let ty = y + pt - i32(ki) * dh;
    if (ty < 0 || ty % sh != 0 || ty / sh >= i32(oh)) { continue; }
    for (var kj = 0u; kj < kw; kj = kj + 1u) {
      let tx = x + pl - i32(kj) * dw;
      if (tx < 0 || tx % sw != 0 || tx / sw >= i32(ow)) { continue; }
      acc = acc + in0[((nc * kh + ki) * kw + kj) * oh * ow + u32(ty / sh) * ow + u32(tx / sw)];
    }
  }
  out[i] = ${wrapExpr(cols!.dtype, 'acc')};`;
  const code = header(u.length, 'f32', ['f32']) + main1d(body);
  be.runtime.dispatch({ code, buffers: [buffer, be.buffer(cols!, 'fold2d')], uniforms: u.build(), groups: grid(total) });
  return info;
});

// conv2d as an implicit GEMM per (image, group): out[o, l] = Σ_k w[o, k] · cols[k, l] with
// k = (c, ki, kj) and l = (oy, ox); the im2col entries are computed while loading the B panel.
const conv2d = gpuKernel('conv2d', ([x, w], attrs, be) => {
  const [N, C, H, W] = x!.shape;
  const [O, Cg, kh, kw] = w!.shape;
  const groups = attrs.groups;
  if (C !== Cg * groups || O % groups !== 0) throw new Error(`conv2d: input channels ${C} and weight [${w!.shape}] do not match groups ${groups}`);
  const g = convGeometry({ ...attrs, kernel: [kh, kw] }, H, W, 'conv2d');
  const L = g.oh * g.ow;
  const Og = O / groups;
  const K = Cg * kh * kw;
  const bufs = [be.buffer(x!, 'conv2d'), be.buffer(w!, 'conv2d')];
  const { info, buffer } = be.output([N, O, g.oh, g.ow], x!.dtype);
  if (N * O * L === 0) return info;
  const t = matmulTile(Og, L, K, be.runtime.limits);
  const u = geomUniforms(0, C, H, W, g).u32(groups, Og, Cg, K, L, 0);
  const code = gemmShader(t, {
    head: header(u.length, 'f32', ['f32', 'f32']),
    prologue: `${GEOM}
  let G = m(14u); let M = m(15u); let Cg = m(16u); let K = m(17u); let N = m(18u);
  let z = wid.z + m(19u);
  let img = z / G; let grp = z % G;
  let wOff = grp * M * K;
  let xOff = (img * C + grp * Cg) * u32(H) * u32(W);
  let outOff = (img * G + grp) * M * N;`,
    loadA: 'in1[wOff + gi * K + gp]',
    loadB: `im2col(xOff, gp, gj, kh, kw, ow, sh, sw, pt, pl, dh, dw, H, W)`,
    store: (v) => `out[outOff + gi * N + gj] = ${wrapExpr(x!.dtype, v)};`,
  }).replace(
    'var<workgroup> As',
    `fn im2col(xOff: u32, k: u32, l: u32, kh: u32, kw: u32, ow: u32, sh: i32, sw: i32, pt: i32, pl: i32, dh: i32, dw: i32, H: i32, W: i32) -> f32 {
  let c = k / (kh * kw);
  let iy = i32(l / ow) * sh - pt + i32((k / kw) % kh) * dh;
  let ix = i32(l % ow) * sw - pl + i32(k % kw) * dw;
  if (iy < 0 || iy >= H || ix < 0 || ix >= W) { return 0.0; }
  return in0[xOff + (c * u32(H) + u32(iy)) * u32(W) + u32(ix)];
}
var<workgroup> As`,
  );
  const gx = Math.ceil(L / (t.wx * t.tn));
  const gy = Math.ceil(Og / (t.wy * t.tm));
  const maxZ = be.runtime.limits.maxComputeWorkgroupsPerDimension;
  const words = u.build();
  for (let z0 = 0; z0 < N * groups; z0 += maxZ) {
    words[19] = z0;
    be.runtime.dispatch({ code, buffers: [buffer, ...bufs], uniforms: words.slice(), groups: [gx, gy, Math.min(maxZ, N * groups - z0)] });
  }
  return info;
});

export const convKernels = { unfold2d, fold2d, conv2d } satisfies GpuKernels;
