/**
 * unfold2d (im2col) and fold2d (col2im), float32/float64, split over N·C planes; and conv2d:
 * im2col + GEMM per (image, channel group) straight into the NCHW output, without the
 * [N, C·kh·kw, L] column tensor and the two batch ↔ column transposes of core's composition.
 */
import { convGeometry, fold2dChannels, type Conv2dKernelAttrs, type ConvGeometry, type DType, type TensorInfo } from '@mapnn/core/backend';
import { DTYPE_CODE, ELEMENT_BYTES } from '../dtype-codes.js';
import type { WasmBackend } from '../wasm-backend.js';
import { runGemm } from './matmul.js';
import { activationCode } from './op-codes.js';
import type { WasmKernel, WasmKernels } from './register.js';

const geomArgs = (H: number, W: number, g: ConvGeometry) => [H, W, g.kh, g.kw, g.sh, g.sw, g.pt, g.pl, g.dh, g.dw, g.oh, g.ow];

const unfold2d: WasmKernel<'unfold2d'> = ([x], attrs, be) => {
  const [N, C, H, W] = x!.shape;
  const g = convGeometry(attrs, H, W, 'unfold2d');
  const padValue = attrs.padValue ?? 0;
  const L = g.oh * g.ow;
  const outShape = [N, C * g.kh * g.kw, L];
  const out = be.alloc(outShape, x!.dtype);
  if (N * C * L * g.kh * g.kw === 0) return be.output(out, outShape, x!.dtype);
  be.run('unfold2d', [DTYPE_CODE[x!.dtype], be.ptr(x!), out.ptr, N * C, ...geomArgs(H, W, g), padValue], N * C * g.kh * g.kw * L);
  return be.output(out, outShape, x!.dtype);
};

const fold2d: WasmKernel<'fold2d'> = ([cols], attrs, be) => {
  const [H, W] = attrs.outputSize;
  const [N, rows, L] = cols!.shape;
  const g = convGeometry(attrs, H, W, 'fold2d');
  const C = fold2dChannels(g, rows, L, H, W);
  const outShape = [N, C, H, W];
  const out = be.alloc(outShape, cols!.dtype);
  if (N * C * H * W === 0) return be.output(out, outShape, cols!.dtype);
  be.run('fold2d', [DTYPE_CODE[cols!.dtype], be.ptr(cols!), out.ptr, N * C, ...geomArgs(H, W, g)], N * rows * L);
  return be.output(out, outShape, cols!.dtype);
};

/** Bytes rounded up to a cache line (per-thread blocks do not share lines). */
const lines = (bytes: number) => Math.ceil(bytes / 64) * 64;

/** Shapes and geometry of a convolution kernel call, checked (a mismatch names the op). */
interface ConvSetup {
  N: number; C: number; H: number; W: number; F: number; Cg: number; kh: number; kw: number;
  groups: number; g: ConvGeometry; L: number; K: number; Fg: number;
  /** 1×1, stride 1, unpadded: the input is its own column matrix. */
  direct: boolean;
}

function convSetup(op: string, xShape: readonly number[], wShape: readonly number[], attrs: Conv2dKernelAttrs, dy?: TensorInfo): ConvSetup {
  const [N, C, H, W] = xShape;
  const [F, Cg, kh, kw] = wShape;
  const groups = attrs.groups;
  if (Cg * groups !== C || F % groups !== 0) throw new Error(`${op} kernel: input [${xShape.join(',')}] and weight [${wShape.join(',')}] do not match with groups=${groups}`);
  const g = convGeometry({ ...attrs, kernel: [kh, kw] }, H, W, op);
  const want = [N, F, g.oh, g.ow];
  if (dy && (dy.shape.length !== 4 || dy.shape.some((d, i) => d !== want[i]))) {
    throw new Error(`${op} kernel: dy must be [${want.join(', ')}], got [${dy.shape.join(', ')}]`);
  }
  const direct = kh === 1 && kw === 1 && g.sh === 1 && g.sw === 1 && g.pt === 0 && g.pl === 0 && g.oh === H && g.ow === W;
  return { N, C, H, W, F, Cg, kh, kw, groups, g, L: g.oh * g.ow, K: Cg * kh * kw, Fg: F / groups, direct };
}

/**
 * Runs the per-(image, group) unit loop of the `conv2d` or `conv2dBackpropInput` kernel module
 * export on `nt` threads, each with its own column block and packing scratch.
 */
function runConvUnits(be: WasmBackend, kernel: 'conv2d' | 'conv2dBackpropInput', dtype: DType, s: ConvSetup, src: number, w: number, dst: number, nt: number, tail: number[] = []): void {
  const { N, C, H, W, F, groups, kh, kw, g, L, K } = s;
  const colsStride = s.direct ? 0 : lines(K * L * ELEMENT_BYTES[dtype]);
  const cols = colsStride ? be.allocBytes(colsStride * nt) : 0;
  try {
    const scratch = be.gemmScratchFor(nt);
    be.run(
      kernel,
      [DTYPE_CODE[dtype], src, w, dst, N, C, H, W, F, groups, kh, kw, g.sh, g.sw, g.pt, g.pl, g.dh, g.dw, g.oh, g.ow, cols, colsStride, scratch.base, scratch.stride, 0, ...tail],
      (N * F * L * Math.max(K, 1)) / 8,
      nt,
    );
  } finally {
    if (cols) be.freeBytes(cols);
  }
}

/** conv2d, or fusedConv2d (bias and activation applied per unit after its GEMM). */
function conv2dKernel(op: 'conv2d' | 'fusedConv2d'): WasmKernel<'fusedConv2d'> { // conv2d's attrs are fusedConv2d's without the activation
  return ([x, w, bias], attrs, be) => {
    const s = convSetup(op, x!.shape, w!.shape, attrs);
    const { N, C, H, W, F, kh, kw, groups, g, L, K, Fg, direct } = s;
    const dtype = x!.dtype;
    const es = ELEMENT_BYTES[dtype];
    const act = op === 'fusedConv2d' ? activationCode(op, attrs.activation) : 0;
    if (bias && op === 'fusedConv2d' && (bias.shape.length !== 1 || bias.shape[0] !== F || bias.dtype !== dtype)) {
      throw new Error(`fusedConv2d (wasm): bias must be [${F}] ${dtype}, got [${bias.shape.join(', ')}] ${bias.dtype}`);
    }
    const biasPtr = op === 'fusedConv2d' && bias ? be.ptr(bias) : 0;
    const fused = biasPtr !== 0 || act !== 0;
    const outShape = [N, F, g.oh, g.ow];
    const out = be.alloc(outShape, dtype);
    if (N * F * L === 0) return be.output(out, outShape, dtype);
    const units = N * groups;
    const nt = be.threadsFor((N * F * L * Math.max(K, 1)) / 8);
    const xp = be.ptr(x!);
    const wp = be.ptr(w!);
    // the epilogue runs per unit: a fused convolution always takes the per-unit path
    if (fused || nt === 1 || units >= 3 * nt) {
      runConvUnits(be, 'conv2d', dtype, s, xp, wp, out.ptr, Math.min(units, nt), [biasPtr, act]);
      return be.output(out, outShape, dtype);
    }
    // few units for the threads: per image, im2col over all threads, then each group's GEMM
    // split over the threads by output blocks
    const cols = direct ? 0 : be.allocBytes(lines(C * kh * kw * L * es));
    try {
      for (let n = 0; n < N; n++) {
        const xn = xp + n * C * H * W * es;
        if (!direct) be.run('unfold2d', [DTYPE_CODE[dtype], xn, cols, C, ...geomArgs(H, W, g), 0], C * kh * kw * L);
        for (let gi = 0; gi < groups; gi++) {
          runGemm(be, dtype, {
            a: wp + gi * Fg * K * es,
            b: (direct ? xn : cols) + gi * K * L * es,
            c: out.ptr + (n * F + gi * Fg) * L * es,
            batch: 1,
            ba: 1,
            bb: 1,
            m: Fg,
            n: L,
            k: K,
            ars: K,
            acs: 1,
            brs: L,
            bcs: 1,
          });
        }
      }
    } finally {
      if (cols) be.freeBytes(cols);
    }
    return be.output(out, outShape, dtype);
  };
}

/**
 * conv2dBackpropFilter: dW[g] = Σ_n dy[n, g] · cols[n, g]ᵀ — im2col of the whole batch (skipped
 * for 1×1 stride-1 convolutions), then per channel group one GEMM that sums the batch in its
 * accumulators (no batch ↔ column transposes, no per-image partial results).
 */
const conv2dBackpropFilter: WasmKernel<'conv2dBackpropFilter'> = ([x, dy], attrs, be) => {
  const s = convSetup('conv2dBackpropFilter', x!.shape, attrs.filterShape, attrs, dy);
  const { N, C, F, Cg, kh, kw, groups, g, L, K, Fg, direct } = s;
  const dtype = x!.dtype;
  const es = ELEMENT_BYTES[dtype];
  const outShape = [F, Cg, kh, kw];
  const out = be.alloc(outShape, dtype);
  if (F * K === 0) return be.output(out, outShape, dtype);
  if (N * L === 0) {
    be.zeroBytes(out.ptr, F * K * es);
    return be.output(out, outShape, dtype);
  }
  const cols = direct ? 0 : be.allocBytes(lines(N * C * kh * kw * L * es));
  try {
    if (!direct) be.run('unfold2d', [DTYPE_CODE[dtype], be.ptr(x!), cols, N * C, ...geomArgs(s.H, s.W, g), 0], N * C * kh * kw * L);
    const colsBase = direct ? be.ptr(x!) : cols;
    for (let gi = 0; gi < groups; gi++) {
      runGemm(be, dtype, {
        a: be.ptr(dy!) + gi * Fg * L * es,
        b: colsBase + gi * K * L * es,
        c: out.ptr + gi * Fg * K * es,
        batch: N,
        ba: N,
        bb: N,
        m: Fg,
        n: K,
        k: L,
        ars: L,
        acs: 1,
        brs: 1,
        bcs: L,
        sumBatch: true,
        batchStrideA: F * L,
        batchStrideB: C * kh * kw * L,
      });
    }
  } finally {
    if (cols) be.freeBytes(cols);
  }
  return be.output(out, outShape, dtype);
};

/**
 * conv2dBackpropInput: per (image, channel group) unit, the GEMM wᵍᵀ·dy[n, g] into the thread's
 * column block, folded (col2im) straight into dx — no [N, C·kh·kw, L] column tensor and no
 * separate fold pass over it.
 */
const conv2dBackpropInput: WasmKernel<'conv2dBackpropInput'> = ([dy, w], attrs, be) => {
  const inputShape = attrs.inputShape;
  const s = convSetup('conv2dBackpropInput', inputShape, w!.shape, attrs, dy);
  const dtype = dy!.dtype;
  const out = be.alloc(inputShape, dtype);
  const size = inputShape.reduce((a, b) => a * b, 1);
  if (size === 0) return be.output(out, inputShape, dtype);
  if (s.F === 0 || s.L === 0) {
    be.zeroBytes(out.ptr, size * ELEMENT_BYTES[dtype]);
    return be.output(out, inputShape, dtype);
  }
  const nt = Math.min(s.N * s.groups, be.threadsFor((s.N * s.F * s.L * s.K) / 8));
  runConvUnits(be, 'conv2dBackpropInput', dtype, s, be.ptr(dy!), be.ptr(w!), out.ptr, nt);
  return be.output(out, inputShape, dtype);
};

export const convKernels = {
  unfold2d,
  fold2d,
  conv2d: conv2dKernel('conv2d'),
  fusedConv2d: conv2dKernel('fusedConv2d'),
  conv2dBackpropFilter,
  conv2dBackpropInput,
} satisfies WasmKernels;
