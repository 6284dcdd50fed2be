/**
 * unfold2d (im2col) and fold2d (col2im), float32/float64, split over N·C planes; and conv2d:
 * im2col + GEMM per (image, channel group) straight into the NCHW output, without the
 * [N, C·kh·kw, L] column tensor and the two batch ↔ column transposes of core's composition.
 */
import { convGeometry, fold2dChannels, type ConvGeometry } from '@mapnn/core';
import { DTYPE_CODE, ELEMENT_BYTES, FLOATS } from '../dtype-codes.js';
import { runGemm } from './matmul.js';
import { wasmKernel } from './register.js';

const geomArgs = (H: number, W: number, g: ConvGeometry) => [H, W, g.kh, g.kw, g.sh, g.sw, g.pt, g.pl, g.dh, g.dw, g.oh, g.ow];

wasmKernel(
  'unfold2d',
  ([x], attrs, be) => {
    const [N, C, H, W] = x!.shape as [number, number, number, number];
    const g = convGeometry(attrs, H, W, 'unfold2d');
    const padValue = (attrs.padValue as number | undefined) ?? 0;
    const L = g.oh * g.ow;
    const outShape = [N, C * g.kh * g.kw, L];
    const out = be.alloc(outShape, x!.dtype);
    if (N * C * L * g.kh * g.kw === 0) return be.output(out, outShape, x!.dtype);
    be.run('unfold2d', [DTYPE_CODE[x!.dtype], be.ptr(x!), out.ptr, N * C, ...geomArgs(H, W, g), padValue], N * C * g.kh * g.kw * L);
    return be.output(out, outShape, x!.dtype);
  },
  FLOATS,
);

wasmKernel(
  'fold2d',
  ([cols], attrs, be) => {
    const [H, W] = attrs.outputSize as [number, number];
    const [N, rows, L] = cols!.shape as [number, number, number];
    const g = convGeometry(attrs, H, W, 'fold2d');
    const C = fold2dChannels(g, rows, L, H, W);
    const outShape = [N, C, H, W];
    const out = be.alloc(outShape, cols!.dtype);
    if (N * C * H * W === 0) return be.output(out, outShape, cols!.dtype);
    be.run('fold2d', [DTYPE_CODE[cols!.dtype], be.ptr(cols!), out.ptr, N * C, ...geomArgs(H, W, g)], N * rows * L);
    return be.output(out, outShape, cols!.dtype);
  },
  FLOATS,
);

/** Bytes rounded up to a cache line (per-thread blocks do not share lines). */
const lines = (bytes: number) => Math.ceil(bytes / 64) * 64;

const ACTIVATIONS: Record<string, number> = { none: 0, relu: 1 };

for (const op of ['conv2d', 'fusedConv2d'] as const) {
  wasmKernel(
    op,
    ([x, w, bias], attrs, be) => {
      const [N, C, H, W] = x!.shape as [number, number, number, number];
      const [F, Cg, kh, kw] = w!.shape as [number, number, number, number];
      const groups = (attrs.groups as number | undefined) ?? 1;
      if (Cg * groups !== C || F % groups !== 0) throw new Error(`conv2d kernel: input [${x!.shape.join(',')}] and weight [${w!.shape.join(',')}] do not match with groups=${groups}`);
      const g = convGeometry({ ...attrs, kernel: [kh, kw] }, H, W, 'conv2d');
      const dtype = x!.dtype;
      const es = ELEMENT_BYTES[dtype];
      const L = g.oh * g.ow;
      const K = Cg * kh * kw;
      const Fg = F / groups;
      const act = op === 'fusedConv2d' ? ACTIVATIONS[(attrs.activation as string | undefined) ?? 'none'] : 0;
      if (act === undefined) throw new Error(`fusedConv2d (wasm): unknown activation '${String(attrs.activation)}' (known: ${Object.keys(ACTIVATIONS).join(', ')})`);
      const biasPtr = op === 'fusedConv2d' && bias ? be.ptr(bias) : 0;
      if (bias && op === 'fusedConv2d' && (bias.shape.length !== 1 || bias.shape[0] !== F || bias.dtype !== dtype)) {
        throw new Error(`fusedConv2d (wasm): bias must be [${F}] ${dtype}, got [${bias.shape.join(', ')}] ${bias.dtype}`);
      }
      const fused = biasPtr !== 0 || act !== 0;
      const outShape = [N, F, g.oh, g.ow];
      const out = be.alloc(outShape, dtype);
      if (N * F * L === 0) return be.output(out, outShape, dtype);
      const units = N * groups;
      const work = (N * F * L * Math.max(K, 1)) / 8;
      // the epilogue runs per unit: a fused convolution always takes the per-unit path
      const nt = fused ? Math.min(units, be.threadsFor(work)) : be.threadsFor(work);
      const xp = be.ptr(x!);
      const wp = be.ptr(w!);
      const direct = kh === 1 && kw === 1 && g.sh === 1 && g.sw === 1 && g.pt === 0 && g.pl === 0 && g.oh === H && g.ow === W;
      if (fused || nt === 1 || units >= 3 * nt) {
        // one (image, group) unit per claim: im2col into the thread's block, GEMM into the output
        const colsStride = direct ? 0 : lines(K * L * es);
        const cols = colsStride ? be.allocBytes(colsStride * nt) : 0;
        try {
          const scratch = be.gemmScratchFor(nt);
          be.run(
            'conv2d',
            [DTYPE_CODE[dtype], xp, wp, out.ptr, N, C, H, W, F, groups, kh, kw, g.sh, g.sw, g.pt, g.pl, g.dh, g.dw, g.oh, g.ow, cols, colsStride, scratch.base, scratch.stride, 0, biasPtr, act],
            work,
            nt,
          );
        } finally {
          if (cols) be.freeBytes(cols);
        }
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
    },
    FLOATS,
  );
}

/**
 * conv2dBackpropFilter: dW[g] = Σ_n dy[n, g] · cols[n, g]ᵀ — im2col of the whole batch (skipped
 * for 1×1 stride-1 convolutions), then per channel group one GEMM that sums the batch in its
 * accumulators (no batch ↔ column transposes, no per-image partial results).
 */
wasmKernel(
  'conv2dBackpropFilter',
  ([x, dy], attrs, be) => {
    const [N, C, H, W] = x!.shape as [number, number, number, number];
    const [F, Cg, kh, kw] = attrs.filterShape as [number, number, number, number];
    const groups = (attrs.groups as number | undefined) ?? 1;
    if (Cg * groups !== C || F % groups !== 0) throw new Error(`conv2dBackpropFilter kernel: input [${x!.shape.join(',')}] and filter [${F},${Cg},${kh},${kw}] do not match with groups=${groups}`);
    const g = convGeometry({ ...attrs, kernel: [kh, kw] }, H, W, 'conv2dBackpropFilter');
    const want = [N, F, g.oh, g.ow];
    if (dy!.shape.length !== 4 || dy!.shape.some((d, i) => d !== want[i])) {
      throw new Error(`conv2dBackpropFilter kernel: dy must be [${want.join(', ')}], got [${dy!.shape.join(', ')}]`);
    }
    const dtype = x!.dtype;
    const es = ELEMENT_BYTES[dtype];
    const L = g.oh * g.ow;
    const K = Cg * kh * kw;
    const Fg = F / groups;
    const outShape = [F, Cg, kh, kw];
    const out = be.alloc(outShape, dtype);
    if (F * K === 0) return be.output(out, outShape, dtype);
    if (N * L === 0) {
      be.zeroBytes(out.ptr, F * K * es);
      return be.output(out, outShape, dtype);
    }
    const direct = kh === 1 && kw === 1 && g.sh === 1 && g.sw === 1 && g.pt === 0 && g.pl === 0 && g.oh === H && g.ow === W;
    const cols = direct ? 0 : be.allocBytes(lines(N * C * kh * kw * L * es));
    try {
      if (!direct) be.run('unfold2d', [DTYPE_CODE[dtype], be.ptr(x!), cols, N * C, ...geomArgs(H, W, g), 0], N * C * kh * kw * L);
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
  },
  FLOATS,
);

/**
 * conv2dBackpropInput: per (image, channel group) unit, the GEMM wᵍᵀ·dy[n, g] into the thread's
 * column block, folded (col2im) straight into dx — no [N, C·kh·kw, L] column tensor and no
 * separate fold pass over it.
 */
wasmKernel(
  'conv2dBackpropInput',
  ([dy, w], attrs, be) => {
    const [N, C, H, W] = attrs.inputShape as [number, number, number, number];
    const [F, Cg, kh, kw] = w!.shape as [number, number, number, number];
    const groups = (attrs.groups as number | undefined) ?? 1;
    if (Cg * groups !== C || F % groups !== 0) throw new Error(`conv2dBackpropInput kernel: input [${N},${C},${H},${W}] and weight [${w!.shape.join(',')}] do not match with groups=${groups}`);
    const g = convGeometry({ ...attrs, kernel: [kh, kw] }, H, W, 'conv2dBackpropInput');
    const want = [N, F, g.oh, g.ow];
    if (dy!.shape.length !== 4 || dy!.shape.some((d, i) => d !== want[i])) {
      throw new Error(`conv2dBackpropInput kernel: dy must be [${want.join(', ')}], got [${dy!.shape.join(', ')}]`);
    }
    const dtype = dy!.dtype;
    const es = ELEMENT_BYTES[dtype];
    const L = g.oh * g.ow;
    const K = Cg * kh * kw;
    const outShape = [N, C, H, W];
    const out = be.alloc(outShape, dtype);
    if (N * C * H * W === 0) return be.output(out, outShape, dtype);
    if (F === 0 || L === 0) {
      be.zeroBytes(out.ptr, N * C * H * W * es);
      return be.output(out, outShape, dtype);
    }
    const units = N * groups;
    const nt = Math.min(units, be.threadsFor((N * F * L * K) / 8));
    const direct = kh === 1 && kw === 1 && g.sh === 1 && g.sw === 1 && g.pt === 0 && g.pl === 0 && g.oh === H && g.ow === W;
    const colsStride = direct ? 0 : lines(K * L * es);
    const cols = colsStride ? be.allocBytes(colsStride * nt) : 0;
    try {
      const scratch = be.gemmScratchFor(nt);
      be.run(
        'conv2dBackpropInput',
        [DTYPE_CODE[dtype], be.ptr(dy!), be.ptr(w!), out.ptr, N, C, H, W, F, groups, kh, kw, g.sh, g.sw, g.pt, g.pl, g.dh, g.dw, g.oh, g.ow, cols, colsStride, scratch.base, scratch.stride, 0],
        (N * F * L * K) / 8,
        nt,
      );
    } finally {
      if (cols) be.freeBytes(cols);
    }
    return be.output(out, outShape, dtype);
  },
  FLOATS,
);
