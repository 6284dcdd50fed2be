/**
 * CPU reference kernels of the int8 contract (docs/kernels-and-ops.md, "The int8 kernels"):
 * `quantizeLinear`, `dequantizeLinear`, `qlinearMatmul` and `qlinearConv2d`. The accumulators are
 * exact integers (held in float64, exact below 2^53, as core's composition) and the
 * requantization rounds every step to float32 exactly as the composed float32 ops do, so the
 * results equal core's composition bit for bit (checked by the conformance suite).
 */
import { convGeometry, type TensorInfo, type TypedArray } from '@mapnn/core/backend';
import type { CpuBackend } from '../cpu-backend.js';
import { roundHalfEven } from './elementwise-loops.js';
import type { CpuKernel, CpuKernels } from './register.js';

const f = Math.fround;

/** Saturation bounds of the output dtype. */
function range(dtype: string): [number, number] {
  if (dtype === 'int8') return [-128, 127];
  if (dtype === 'uint8') return [0, 255];
  throw new Error(`cpu int8 kernels: the output dtype must be int8 or uint8, got ${dtype}`);
}

/** For a per-channel parameter along `axis` of `shape`: (channels, elements per channel step); per tensor: (1, 1). */
function channelLayout(shape: readonly number[], axis: number, perChannel: boolean): { C: number; inner: number } {
  if (!perChannel) return { C: 1, inner: 1 };
  return { C: shape[axis]!, inner: shape.slice(axis + 1).reduce((a, b) => a * b, 1) };
}

const quantizeLinear: CpuKernel<'quantizeLinear'> = ([x, scale, zp], attrs, be) => {
  const src = be.get(x!.dataId);
  const [s, z] = [be.get(scale!.dataId), be.get(zp!.dataId)];
  const [lo, hi] = range(attrs.dtype);
  const { C, inner } = channelLayout(x!.shape, attrs.axis, scale!.shape.length === 1);
  const out = be.alloc(x!.shape, attrs.dtype);
  for (let i = 0; i < src.length; i++) {
    const c = C === 1 ? 0 : Math.floor(i / inner) % C;
    const v = f(Number(src[i]!) / Number(s[c]!));
    const q = v !== v ? Number(z[c]!) : roundHalfEven(v) + Number(z[c]!); // NaN → the zero point
    out[i] = q < lo ? lo : q > hi ? hi : q;
  }
  return be.output(out, x!.shape, attrs.dtype);
};

const dequantizeLinear: CpuKernel<'dequantizeLinear'> = ([x, scale, zp], attrs, be) => {
  const src = be.get(x!.dataId);
  const [s, z] = [be.get(scale!.dataId), be.get(zp!.dataId)];
  const { C, inner } = channelLayout(x!.shape, attrs.axis, scale!.shape.length === 1);
  const out = new Float32Array(src.length);
  for (let i = 0; i < src.length; i++) {
    const c = C === 1 ? 0 : Math.floor(i / inner) % C;
    out[i] = f(Number(src[i]!) - Number(z[c]!)) * Number(s[c]!); // the store rounds the product
  }
  return be.output(out, x!.shape, 'float32');
};

/** The scalars and per-channel parameters of a qlinear kernel, read once. */
interface Requant {
  /** multiplier[c] = fround(fround(inScale · wScale[c]) / yScale) */
  multiplier: Float64Array;
  wZp: Float64Array;
  bias: TypedArray | null;
  yZp: number;
  lo: number;
  hi: number;
  relu: boolean;
}

function requantParams(ins: TensorInfo[], channels: number, relu: boolean, be: CpuBackend): Requant {
  const num = (i: number) => Number(be.get(ins[i]!.dataId)[0]!);
  const [inScale, yScale, yZp] = [num(1), num(6), num(7)];
  const [ws, wz] = [be.get(ins[4]!.dataId), be.get(ins[5]!.dataId)];
  const per = ins[4]!.shape.length === 1;
  const multiplier = new Float64Array(channels);
  const wZp = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    multiplier[c] = f(f(inScale * Number(ws[per ? c : 0]!)) / yScale);
    wZp[c] = Number(wz[per ? c : 0]!);
  }
  const [lo, hi] = range(ins[7]!.dtype);
  return { multiplier, wZp, bias: ins[8] ? be.get(ins[8].dataId) : null, yZp, lo, hi, relu };
}

/** One requantized output value from an exact accumulator of channel `c`. */
function requantize(acc: number, c: number, p: Requant): number {
  let y = roundHalfEven(f(f(acc) * p.multiplier[c]!)) + p.yZp;
  if (p.relu && y < p.yZp) y = p.yZp;
  return y < p.lo ? p.lo : y > p.hi ? p.hi : y;
}

const qlinearMatmul: CpuKernel<'qlinearMatmul'> = (ins, attrs, be) => {
  const [a, aZpT, b] = [ins[0]!, ins[2]!, ins[3]!];
  const [M, K] = a.shape as [number, number];
  const N = b.shape[1]!;
  const p = requantParams(ins, N, attrs.activation === 'relu', be);
  const [av, bv] = [be.get(a.dataId), be.get(b.dataId)];
  const aZp = Number(be.get(aZpT.dataId)[0]!);
  const bc = new Int32Array(K * N); // b − bZp[n]
  for (let k = 0; k < K; k++) for (let n = 0; n < N; n++) bc[k * N + n] = Number(bv[k * N + n]!) - p.wZp[n]!;
  const outDType = ins[7]!.dtype;
  const out = be.alloc([M, N], outDType);
  const acc = new Float64Array(N);
  for (let m = 0; m < M; m++) {
    for (let n = 0; n < N; n++) acc[n] = p.bias ? Number(p.bias[n]!) : 0;
    for (let k = 0; k < K; k++) {
      const x = Number(av[m * K + k]!) - aZp;
      if (x === 0) continue;
      const row = k * N;
      for (let n = 0; n < N; n++) acc[n] += x * bc[row + n]!;
    }
    for (let n = 0; n < N; n++) out[m * N + n] = requantize(acc[n]!, n, p);
  }
  return be.output(out, [M, N], outDType);
};

const qlinearConv2d: CpuKernel<'qlinearConv2d'> = (ins, attrs, be) => {
  const [x, w] = [ins[0]!, ins[3]!];
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const [O, Cg, kh, kw] = w.shape as [number, number, number, number];
  const groups = attrs.groups;
  const g = convGeometry({ ...attrs, kernel: [kh, kw] }, H, W, 'qlinearConv2d');
  const { oh, ow } = g;
  const p = requantParams(ins, O, attrs.activation === 'relu', be);
  const [xv, wv] = [be.get(x.dataId), be.get(w.dataId)];
  const xZp = Number(be.get(ins[2]!.dataId)[0]!);
  const Kc = Cg * kh * kw;
  const L = oh * ow;
  const wc = new Int32Array(O * Kc); // w − wZp[o]
  for (let o = 0; o < O; o++) for (let k = 0; k < Kc; k++) wc[o * Kc + k] = Number(wv[o * Kc + k]!) - p.wZp[o]!;
  const outShape = [N, O, oh, ow];
  const outDType = ins[7]!.dtype;
  const out = be.alloc(outShape, outDType);
  const cols = new Int32Array(Kc * L); // centered input patches of one (image, group); padding is 0
  const acc = new Float64Array(L);
  const Og = O / groups;
  for (let n = 0; n < N; n++) {
    for (let grp = 0; grp < groups; grp++) {
      centeredColumns(xv, cols, ((n * C) + grp * Cg) * H * W, Cg, H, W, kh, kw, g, xZp);
      for (let o = grp * Og; o < (grp + 1) * Og; o++) {
        acc.fill(p.bias ? Number(p.bias[o]!) : 0);
        for (let k = 0; k < Kc; k++) {
          const wk = wc[o * Kc + k]!;
          if (wk === 0) continue;
          const row = k * L;
          for (let l = 0; l < L; l++) acc[l] += wk * cols[row + l]!;
        }
        const base = (n * O + o) * L;
        for (let l = 0; l < L; l++) out[base + l] = requantize(acc[l]!, o, p);
      }
    }
  }
  return be.output(out, outShape, outDType);
};

/** im2col of `Cg` channels from `off`: rows (c, ki, kj), columns (oy, ox), values x − xZp (0 in the padding). */
function centeredColumns(
  xv: TypedArray, cols: Int32Array, off: number, Cg: number, H: number, W: number, kh: number, kw: number,
  g: { sh: number; sw: number; pt: number; pl: number; dh: number; dw: number; oh: number; ow: number }, xZp: number,
): void {
  let o = 0;
  for (let c = 0; c < Cg; c++) {
    const plane = off + c * H * W;
    for (let ki = 0; ki < kh; ki++) {
      for (let kj = 0; kj < kw; kj++) {
        for (let oy = 0; oy < g.oh; oy++) {
          const iy = oy * g.sh - g.pt + ki * g.dh;
          for (let ox = 0; ox < g.ow; ox++) {
            const ix = ox * g.sw - g.pl + kj * g.dw;
            cols[o++] = iy < 0 || iy >= H || ix < 0 || ix >= W ? 0 : Number(xv[plane + iy * W + ix]!) - xZp;
          }
        }
      }
    }
  }
}

/** The int8 kernels of the cpu backend (optional fast paths; dtypes as core's table). */
export const quantizedKernels = { quantizeLinear, dequantizeLinear, qlinearMatmul, qlinearConv2d } satisfies CpuKernels;
