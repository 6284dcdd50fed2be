/**
 * im2col / col2im for float32 and float64 (core composes conv2d's gradients from these and
 * matmul), and a direct conv2d. The first two walk the (c, ki, kj, oy) rows; per kernel column
 * the range of output columns inside the image is computed once, so the inner loop has no bounds
 * checks. Threads split the N·C input planes (each plane owns a contiguous block of rows /
 * outputs). conv2d runs per (image, group): im2col into the thread's scratch, then one GEMM
 * straight into the NCHW output.
 */
import { F32, arg, argI, argP, shareStart, shareEnd } from './common';
import { epilogue32, epilogue64, gemm32, gemm64 } from './gemm';

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

@inline function unfoldT<T>(x: usize, out: usize, p0: i32, p1: i32, H: i32, W: i32, kh: i32, kw: i32, sh: i32, sw: i32, pt: i32, pl: i32, dh: i32, dw: i32, oh: i32, ow: i32, padValue: T): void {
  const L = oh * ow;
  for (let plane = p0; plane < p1; plane++) {
    const src = x + <usize>plane * <usize>(H * W) * sizeof<T>();
    let o = out + <usize>plane * <usize>(kh * kw) * <usize>L * sizeof<T>();
    for (let ki = 0; ki < kh; ki++) {
      for (let kj = 0; kj < kw; kj++) {
        const colOff = kj * dw - pl;
        const ox0 = validStart(colOff, sw);
        let ox1 = validEnd(colOff, sw, W, ow);
        if (ox1 < ox0) ox1 = ox0;
        for (let oy = 0; oy < oh; oy++) {
          const iy = oy * sh - pt + ki * dh;
          if (iy < 0 || iy >= H) {
            for (let ox = 0; ox < ow; ox++) store<T>(o + (<usize>ox) * sizeof<T>(), padValue);
            o += <usize>ow * sizeof<T>();
            continue;
          }
          const rowBase = src + <usize>(iy * W) * sizeof<T>();
          let ox = 0;
          for (; ox < ox0; ox++) store<T>(o + (<usize>ox) * sizeof<T>(), padValue);
          if (sw == 1) {
            const n = ox1 - ox0;
            if (n > 0) memory.copy(o + (<usize>ox0) * sizeof<T>(), rowBase + (<usize>(ox0 + colOff)) * sizeof<T>(), <usize>n * sizeof<T>());
            ox = ox1 > ox ? ox1 : ox;
          } else {
            for (; ox < ox1; ox++) store<T>(o + (<usize>ox) * sizeof<T>(), load<T>(rowBase + (<usize>(ox * sw + colOff)) * sizeof<T>()));
          }
          for (; ox < ow; ox++) store<T>(o + (<usize>ox) * sizeof<T>(), padValue);
          o += <usize>ow * sizeof<T>();
        }
      }
    }
  }
}

@inline function foldT<T>(cols: usize, out: usize, p0: i32, p1: i32, H: i32, W: i32, kh: i32, kw: i32, sh: i32, sw: i32, pt: i32, pl: i32, dh: i32, dw: i32, oh: i32, ow: i32): void {
  const L = oh * ow;
  for (let plane = p0; plane < p1; plane++) {
    const dst = out + <usize>plane * <usize>(H * W) * sizeof<T>();
    memory.fill(dst, 0, <usize>(H * W) * sizeof<T>());
    let o = cols + <usize>plane * <usize>(kh * kw) * <usize>L * sizeof<T>();
    for (let ki = 0; ki < kh; ki++) {
      for (let kj = 0; kj < kw; kj++) {
        const colOff = kj * dw - pl;
        const ox0 = validStart(colOff, sw);
        const ox1 = validEnd(colOff, sw, W, ow);
        for (let oy = 0; oy < oh; oy++) {
          const iy = oy * sh - pt + ki * dh;
          if (iy >= 0 && iy < H) {
            const rowBase = dst + <usize>(iy * W) * sizeof<T>();
            for (let ox = ox0; ox < ox1; ox++) {
              const d = rowBase + (<usize>(ox * sw + colOff)) * sizeof<T>();
              store<T>(d, load<T>(d) + load<T>(o + (<usize>ox) * sizeof<T>()));
            }
          }
          o += <usize>ow * sizeof<T>();
        }
      }
    }
  }
}

/**
 * unfold2d(dtype, x, out, N·C, H, W, kh, kw, sh, sw, pt, pl, dh, dw, oh, ow, padValue):
 * x [N,C,H,W] → out [N, C·kh·kw, oh·ow].
 */
export function unfold2d(args: usize, tid: i32, nt: i32): void {
  const dt = argI(args, 0);
  const x = argP(args, 1);
  const out = argP(args, 2);
  const planes = argI(args, 3);
  const p0 = shareStart(planes, tid, nt, 1);
  const p1 = shareEnd(planes, tid, nt, 1);
  if (p0 >= p1) return;
  const H = argI(args, 4), W = argI(args, 5), kh = argI(args, 6), kw = argI(args, 7);
  const sh = argI(args, 8), sw = argI(args, 9), pt = argI(args, 10), pl = argI(args, 11);
  const dh = argI(args, 12), dw = argI(args, 13), oh = argI(args, 14), ow = argI(args, 15);
  const pv = arg(args, 16);
  if (dt == F32) unfoldT<f32>(x, out, p0, p1, H, W, kh, kw, sh, sw, pt, pl, dh, dw, oh, ow, <f32>pv);
  else unfoldT<f64>(x, out, p0, p1, H, W, kh, kw, sh, sw, pt, pl, dh, dw, oh, ow, pv);
}

/** fold2d(dtype, cols, out, N·C, H, W, kh, kw, sh, sw, pt, pl, dh, dw, oh, ow): col2im, summing overlaps. */
export function fold2d(args: usize, tid: i32, nt: i32): void {
  const dt = argI(args, 0);
  const cols = argP(args, 1);
  const out = argP(args, 2);
  const planes = argI(args, 3);
  const p0 = shareStart(planes, tid, nt, 1);
  const p1 = shareEnd(planes, tid, nt, 1);
  if (p0 >= p1) return;
  const H = argI(args, 4), W = argI(args, 5), kh = argI(args, 6), kw = argI(args, 7);
  const sh = argI(args, 8), sw = argI(args, 9), pt = argI(args, 10), pl = argI(args, 11);
  const dh = argI(args, 12), dw = argI(args, 13), oh = argI(args, 14), ow = argI(args, 15);
  if (dt == F32) foldT<f32>(cols, out, p0, p1, H, W, kh, kw, sh, sw, pt, pl, dh, dw, oh, ow);
  else foldT<f64>(cols, out, p0, p1, H, W, kh, kw, sh, sw, pt, pl, dh, dw, oh, ow);
}

/**
 * conv2d(dtype, x, w, out, N, C, H, W, F, groups, kh, kw, sh, sw, pt, pl, dh, dw, oh, ow,
 * cols, colsStride, scratch, scratchStride, counter, bias, act): out [N,F,oh,ow] = x [N,C,H,W] ⋆ w
 * [F, C/groups, kh, kw] (cross-correlation), plus bias [F] and ReLU when given (fusedConv2d;
 * bias pointer 0 = none, act 1 = relu), applied to each unit's block right after its GEMM. A
 * unit (one image's channel group) unfolds its C/groups planes into the thread's `cols` block
 * ([C/groups·kh·kw, oh·ow]; skipped for a 1×1, stride-1, unpadded kernel, whose columns are the
 * input itself) and multiplies the group's filters [F/groups, C/groups·kh·kw] by it into
 * out[n, group's channels] with the packed GEMM.
 */
export function conv2d(args: usize, tid: i32, nt: i32): void {
  convUnits(args, tid, false);
}

/**
 * conv2dBackpropInput(dtype, dy, w, dx, N, C, H, W, F, groups, kh, kw, sh, sw, pt, pl, dh, dw,
 * oh, ow, cols, colsStride, scratch, scratchStride, counter): dx [N,C,H,W] — the gradient of
 * conv2d with respect to its input — from dy [N,F,oh,ow] and w [F, C/groups, kh, kw]. A unit
 * computes the GEMM wᵍᵀ·dy[n, g] into the thread's `cols` block, then col2im of that block into
 * the unit's planes of dx (a 1×1, stride-1, unpadded kernel writes the GEMM straight into dx).
 * No [N, C·kh·kw, L] column tensor is made.
 */
export function conv2dBackpropInput(args: usize, tid: i32, nt: i32): void {
  convUnits(args, tid, true);
}

/**
 * The (image, channel group) units of both convolution kernels, claimed one at a time from the
 * int32 at slot 24 (JS writes 0.0 there), so a late thread leaves its share to the others. Slot 1
 * is the kernel's source (x, or dy for the input gradient), slot 3 its destination (out, or dx);
 * each thread uses its `cols` block and packing scratch at `base + tid·stride`.
 */
function convUnits(args: usize, tid: i32, inputGrad: bool): void {
  const f32 = argI(args, 0) == F32;
  const src = argP(args, 1);
  const w = argP(args, 2);
  const dst = argP(args, 3);
  const N = argI(args, 4), C = argI(args, 5), H = argI(args, 6), W = argI(args, 7);
  const F = argI(args, 8), groups = argI(args, 9), kh = argI(args, 10), kw = argI(args, 11);
  const sh = argI(args, 12), sw = argI(args, 13), pt = argI(args, 14), pl = argI(args, 15);
  const dh = argI(args, 16), dw = argI(args, 17), oh = argI(args, 18), ow = argI(args, 19);
  const cols = argP(args, 20) + <usize>tid * argP(args, 21);
  const scratch = argP(args, 22) + <usize>tid * argP(args, 23);
  const counter = args + (<usize>24 << 3);
  const bias = inputGrad ? 0 : argP(args, 25);
  const act = inputGrad ? 0 : argI(args, 26);
  const es: usize = f32 ? 4 : 8;
  const Cg = C / groups;
  const Fg = F / groups;
  const K = Cg * kh * kw;
  const L = oh * ow;
  const direct = kh == 1 && kw == 1 && sh == 1 && sw == 1 && pt == 0 && pl == 0 && oh == H && ow == W;
  const units = N * groups;
  for (let u = atomic.add<i32>(counter, 1); u < units; u = atomic.add<i32>(counter, 1)) {
    const n = u / groups;
    const g = u - n * groups;
    const wg = w + <usize>(g * Fg) * <usize>K * es;
    // the unit's Cg image planes (x or dx) and Fg output channels (out or dy)
    const planes = <usize>(n * C + g * Cg) * <usize>(H * W) * es;
    const chans = <usize>(n * F + g * Fg) * <usize>L * es;
    if (inputGrad) {
      // A = wᵍᵀ [K, Fg]: A(i, p) = wg[p·K + i]; B = dy[n, g] [Fg, L]
      const c = direct ? dst + planes : cols;
      if (f32) gemm32(K, L, Fg, wg, 1, K, src + chans, L, 1, c, L, scratch);
      else gemm64(K, L, Fg, wg, 1, K, src + chans, L, 1, c, L, scratch);
      if (!direct) {
        if (f32) foldT<f32>(cols, dst + planes, 0, Cg, H, W, kh, kw, sh, sw, pt, pl, dh, dw, oh, ow);
        else foldT<f64>(cols, dst + planes, 0, Cg, H, W, kh, kw, sh, sw, pt, pl, dh, dw, oh, ow);
      }
      continue;
    }
    let b = cols;
    if (direct) b = src + planes;
    else if (f32) unfoldT<f32>(src + planes, cols, 0, Cg, H, W, kh, kw, sh, sw, pt, pl, dh, dw, oh, ow, 0);
    else unfoldT<f64>(src + planes, cols, 0, Cg, H, W, kh, kw, sh, sw, pt, pl, dh, dw, oh, ow, 0);
    const og = dst + chans;
    if (f32) gemm32(Fg, L, K, wg, K, 1, b, L, 1, og, L, scratch);
    else gemm64(Fg, L, K, wg, K, 1, b, L, 1, og, L, scratch);
    if (bias != 0 || act != 0) {
      const gb = bias ? bias + <usize>(g * Fg) * es : 0;
      if (f32) epilogue32(og, Fg, L, L, gb, true, act);
      else epilogue64(og, Fg, L, L, gb, true, act);
    }
  }
}
