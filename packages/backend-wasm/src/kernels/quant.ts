/**
 * The int8 kernels (core's int8 contract): qlinearMatmul and qlinearConv2d on the kernel
 * module's int8 GEMM (i32x4.dot_i16x8_s micro-kernel, or in the relaxed-SIMD build
 * i16x8.relaxed_dot_i8x16_i7x16_s for 7-bit weights; requantized in its epilogue), and the
 * quantizeLinear / dequantizeLinear SIMD loops. Per-channel parameters travel as int32 arrays
 * (zero points widened, multipliers as float32 bits), padded by a tile so the kernels may
 * read past the last channel; the multipliers are computed here as the contract says.
 */
import { convGeometry, sizeOf, type DType, type TensorInfo } from '@mapnn/core/backend';
import { DTYPE_CODE, ELEMENT_BYTES } from '../dtype-codes.js';
import type { WasmBackend } from '../wasm-backend.js';
import { activationCode } from './op-codes.js';
import type { WasmKernel, WasmKernels } from './register.js';

/** Entries a tile may read past the last channel (NR of the int8 micro-kernel). */
const PAD = 8;

const shapeText = (t: TensorInfo) => `[${t.shape.join(', ')}] ${t.dtype}`;

function checkDtype(op: string, what: string, t: TensorInfo, allowed: readonly DType[]): void {
  if (!allowed.includes(t.dtype)) throw new Error(`${op} (wasm): ${what} must be ${allowed.join(' or ')}, got ${shapeText(t)}`);
}

/** Throws unless `t` is a scalar (`[]` or one element). */
function checkScalar(op: string, what: string, t: TensorInfo): void {
  if (sizeOf(t.shape) !== 1 || t.shape.length > 1) throw new Error(`${op} (wasm): ${what} must be a scalar, got ${shapeText(t)}`);
}

/** Whether a per-tensor (one element) or per-channel (`[channels]`) parameter is per channel; throws on any other shape. */
function isPerChannel(op: string, what: string, t: TensorInfo, channels: number): boolean {
  const n = sizeOf(t.shape);
  if (t.shape.length === 0 || (t.shape.length === 1 && n === 1)) return false;
  if (t.shape.length === 1 && n === channels) return true;
  throw new Error(`${op} (wasm): ${what} must be a scalar or [${channels}], got ${shapeText(t)}`);
}

/**
 * Reads parameter values straight out of the linear memory through one DataView per kernel call
 * (a typed-array view per parameter costs more than the small kernels themselves).
 */
class ParamReader {
  private readonly dv: DataView;
  constructor(private readonly be: WasmBackend) {
    this.dv = new DataView(be.wasmMemory.buffer);
  }
  /** Element `i` of a float32, int32, int8 or uint8 tensor. */
  at(t: TensorInfo, i: number): number {
    const p = this.be.ptr(t) + i * ELEMENT_BYTES[t.dtype];
    if (t.dtype === 'float32') return this.dv.getFloat32(p, true);
    if (t.dtype === 'int32') return this.dv.getInt32(p, true);
    return t.dtype === 'int8' ? this.dv.getInt8(p) : this.dv.getUint8(p);
  }
  /** The values of `t` (n of them) as int32, padded by PAD zeros. */
  ints(t: TensorInfo, n: number): Int32Array {
    const out = new Int32Array(n + PAD);
    for (let i = 0; i < n; i++) out[i] = this.at(t, i);
    return out;
  }
}

/** The requantization multipliers fround(fround(inScale · wScale[c]) / yScale), per channel, padded. */
function multipliers(r: ParamReader, inScale: number, wScale: TensorInfo, perChannel: boolean, channels: number, yScale: number): Float32Array {
  const out = new Float32Array(channels + PAD);
  for (let c = 0; c < channels; c++) out[c] = Math.fround(inScale * r.at(wScale, perChannel ? c : 0)) / yScale;
  return out;
}

/** 1 when some multiplier is NaN or infinite (the kernels then take their IEEE min / max epilogue). */
const nonFinite = (mult: Float32Array) => (mult.every(Number.isFinite) ? 0 : 1);

/** The shared parameters of qlinearMatmul and qlinearConv2d, checked and laid out for the kernel. */
interface QParams {
  inZp: number;
  /** One weight zero point (wZpStep 0) or one per channel (wZpStep 1), padded. */
  wZp: Int32Array;
  wZpStep: number;
  mult: Float32Array;
  /** `mult`'s bits as int32, as the kernels' argument arrays travel. */
  multBits: Int32Array;
  /** 1 when some multiplier is NaN or infinite (the kernels' IEEE epilogue). */
  nonFinite: number;
  yZp: number;
  yDtype: 'int8' | 'uint8';
  bias: Int32Array | null;
}

/**
 * The laid-out parameters of the last call per weight-scale storage, reused while the call's
 * parameter storages are the same ones (storages are immutable: `assign` swaps a tensor's
 * storage, never writes into it), so a model's layer reads and lays them out once.
 */
const laidOut = new WeakMap<object, { deps: readonly unknown[]; p: QParams }>();

function qParams(op: string, inputs: readonly (TensorInfo | undefined)[], channels: number, channelName: string, be: WasmBackend): QParams {
  const [x, xScale, xZp, w, wScale, wZp, yScale, yZp, bias] = inputs;
  if (inputs.length < 8 || !yZp) throw new Error(`${op} (wasm): expected 8 or 9 inputs, got ${inputs.length}`);
  checkDtype(op, 'the input', x!, ['int8', 'uint8']);
  checkDtype(op, 'the weight', w!, ['int8']);
  checkDtype(op, `the input's zero point`, xZp!, [x!.dtype]);
  checkDtype(op, `the weight's zero point`, wZp!, ['int8']);
  checkDtype(op, 'the output zero point', yZp, ['int8', 'uint8']);
  for (const [what, t] of [['the input scale', xScale], ['the weight scale', wScale], ['the output scale', yScale]] as const) checkDtype(op, what, t!, ['float32']);
  checkScalar(op, 'the input scale', xScale!);
  checkScalar(op, `the input's zero point`, xZp!);
  checkScalar(op, 'the output scale', yScale!);
  checkScalar(op, 'the output zero point', yZp);
  const scalePerCh = isPerChannel(op, `the weight scale (${channelName})`, wScale!, channels);
  const zpPerCh = isPerChannel(op, `the weight zero point (${channelName})`, wZp!, channels) && channels > 1;
  if (bias && (bias.dtype !== 'int32' || bias.shape.length !== 1 || bias.shape[0] !== channels)) {
    throw new Error(`${op} (wasm): bias must be [${channels}] int32 (${channelName}), got ${shapeText(bias)}`);
  }
  const deps = [xScale!.dataId, xZp!.dataId, wZp!.dataId, yScale!.dataId, yZp.dataId, bias?.dataId, channels, scalePerCh];
  const hit = laidOut.get(wScale!.dataId);
  if (hit && hit.deps.every((d, i) => d === deps[i])) return hit.p;
  const r = new ParamReader(be);
  const mult = multipliers(r, r.at(xScale!, 0), wScale!, scalePerCh, channels, r.at(yScale!, 0));
  const p: QParams = {
    inZp: r.at(xZp!, 0),
    wZp: r.ints(wZp!, zpPerCh ? channels : 1),
    wZpStep: zpPerCh ? 1 : 0,
    mult,
    multBits: new Int32Array(mult.buffer),
    nonFinite: nonFinite(mult),
    yZp: r.at(yZp, 0),
    yDtype: yZp.dtype as 'int8' | 'uint8',
    bias: bias ? r.ints(bias, channels) : null,
  };
  laidOut.set(wScale!.dataId, { deps, p });
  return p;
}

/** Per weight storage (immutable): whether every weight is in [-64, 63], the relaxed GEMM's precondition. */
const sevenBit = new WeakMap<object, boolean>();

/**
 * The int8 GEMM that runs on weight `w`: 'relaxed' (i16x8.relaxed_dot_i8x16_i7x16_s) when the
 * backend runs the relaxed-SIMD build and every weight fits 7 bits ([-64, 63], shifted to the
 * relaxed dot's [0, 127] operand), else 'dot_i16x8' (exact for any int8). Products of at most 2
 * rows (matmul) or 2 output channels per group (conv) take the small dot_i16x8 path either way.
 */
export function int8GemmPath(be: WasmBackend, w: TensorInfo): 'relaxed' | 'dot_i16x8' {
  if (!be.relaxedSimd) return 'dot_i16x8';
  let fits = sevenBit.get(w.dataId);
  if (fits === undefined) {
    const v = be.view(w) as Int8Array;
    fits = true;
    for (let i = 0; i < v.length; i++) {
      if (v[i]! < -64 || v[i]! > 63) {
        fits = false;
        break;
      }
    }
    sevenBit.set(w.dataId, fits);
  }
  return fits ? 'relaxed' : 'dot_i16x8';
}

const relaxedFor = (be: WasmBackend, w: TensorInfo) => (int8GemmPath(be, w) === 'relaxed' ? 1 : 0);

/**
 * qlinearMatmul: a [M,K] int8|uint8 · b [K,N] int8, requantized; the output is cut into blocks
 * for the threads (along the longer side when there are few), as the float matmul does.
 */
const qlinearMatmul: WasmKernel<'qlinearMatmul'> = (inputs, attrs, be) => {
  const op = 'qlinearMatmul';
  const [a, , , b] = inputs;
  if (a!.shape.length !== 2 || b!.shape.length !== 2 || a!.shape[1] !== b!.shape[0]) {
    throw new Error(`${op} (wasm): expected a [M,K] and b [K,N], got a ${shapeText(a!)} and b ${shapeText(b!)}`);
  }
  const [m, k] = a!.shape as [number, number];
  const n = b!.shape[1]!;
  const p = qParams(op, inputs, n, 'N, the output columns', be);
  const act = activationCode(op, attrs.activation);
  const shape = [m, n];
  const out = be.alloc(shape, p.yDtype);
  if (m * n === 0) return be.output(out, shape, p.yDtype);
  const work = (m * n * Math.max(k, 1)) / 8;
  const nt = be.threadsFor(work);
  let splitM = 1;
  let splitN = 1;
  if (nt > 1) {
    const want = 2 * nt;
    if (m / 4 >= n / 8) splitM = Math.max(1, Math.min(want, Math.ceil(m / 4)));
    else splitN = Math.max(1, Math.min(want, Math.ceil(n / 8)));
  }
  const scratch = be.gemmScratchFor(nt);
  be.run(
    'qlinearMatmul',
    [
      DTYPE_CODE[a!.dtype], be.ptr(a!), be.ptr(b!), out.ptr, DTYPE_CODE[p.yDtype], m, n, k,
      be.ints([p.inZp]), be.ints(p.wZp), p.wZpStep, be.ints(p.multBits), p.bias ? be.ints(p.bias) : 0,
      p.yZp, act, splitM, splitN, scratch.base, scratch.stride, 0, p.nonFinite, relaxedFor(be, b!),
    ],
    work,
  );
  return be.output(out, shape, p.yDtype);
};

/** Bytes rounded up to a cache line (per-thread blocks do not share lines). */
const lines = (bytes: number) => Math.ceil(bytes / 64) * 64;

/**
 * qlinearConv2d: per (image, channel group, chunk of output rows) unit, byte im2col padded with
 * the input zero point, then the int8 GEMM into the NCHW output. With fewer images · groups than
 * ~3 per thread the output rows are cut into chunks, so batch 1 runs on every thread too.
 */
const qlinearConv2d: WasmKernel<'qlinearConv2d'> = (inputs, attrs, be) => {
  const op = 'qlinearConv2d';
  const [x, , , w] = inputs;
  if (x!.shape.length !== 4 || w!.shape.length !== 4) throw new Error(`${op} (wasm): expected x [N,C,H,W] and w [O,C/groups,kh,kw], got x ${shapeText(x!)} and w ${shapeText(w!)}`);
  const [N, C, H, W] = x!.shape as [number, number, number, number];
  const [F, Cg, kh, kw] = w!.shape as [number, number, number, number];
  const groups = attrs.groups;
  if (Cg * groups !== C || F % groups !== 0) throw new Error(`${op} (wasm): input ${shapeText(x!)} and weight ${shapeText(w!)} do not match with groups=${groups}`);
  const g = convGeometry({ ...attrs, kernel: [kh, kw] }, H, W, op);
  const p = qParams(op, inputs, F, 'O, the output channels', be);
  const act = activationCode(op, attrs.activation);
  const outShape = [N, F, g.oh, g.ow];
  const out = be.alloc(outShape, p.yDtype);
  const L = g.oh * g.ow;
  if (N * F * L === 0) return be.output(out, outShape, p.yDtype);
  const K = Cg * kh * kw;
  const work = (N * F * L * Math.max(K, 1)) / 8;
  const units = N * groups;
  const nt = be.threadsFor(work);
  const rowChunks = units >= 3 * nt ? 1 : Math.min(g.oh, Math.ceil((3 * nt) / units));
  const rowsPer = Math.ceil(g.oh / rowChunks);
  const direct = kh === 1 && kw === 1 && g.sh === 1 && g.sw === 1 && g.pt === 0 && g.pl === 0 && g.oh === H && g.ow === W;
  const threads = Math.min(nt, units * rowChunks);
  const colsStride = direct ? 0 : lines(K * rowsPer * g.ow + 16); // the im2col's short runs may write 16 bytes past a row
  const cols = colsStride ? be.allocBytes(colsStride * threads) : 0;
  try {
    const scratch = be.gemmScratchFor(threads);
    be.run(
      'qlinearConv2d',
      [
        DTYPE_CODE[x!.dtype], be.ptr(x!), be.ptr(w!), out.ptr, DTYPE_CODE[p.yDtype], N, C, H, W, F, groups, kh, kw,
        g.sh, g.sw, g.pt, g.pl, g.dh, g.dw, g.oh, g.ow, cols, colsStride, scratch.base, scratch.stride, 0,
        be.ints([p.inZp]), be.ints(p.wZp), p.wZpStep, be.ints(p.multBits), p.bias ? be.ints(p.bias) : 0,
        p.yZp, act, rowChunks, p.nonFinite, relaxedFor(be, w!),
      ],
      work,
      threads,
    );
  } finally {
    if (cols) be.freeBytes(cols);
  }
  return be.output(out, outShape, p.yDtype);
};

/** Channels C and the elements per channel run `inner` of a (de)quantization along `axis` (C = 1: per tensor). */
function channelRuns(op: string, x: TensorInfo, scale: TensorInfo, zp: TensorInfo, axis: number): { C: number; inner: number } {
  if (zp.shape.length !== scale.shape.length || zp.shape.some((d, i) => d !== scale.shape[i])) {
    throw new Error(`${op} (wasm): the zero point ${shapeText(zp)} must have the scale's shape [${scale.shape.join(', ')}]`);
  }
  const size = sizeOf(x.shape);
  if (scale.shape.length === 0 || sizeOf(scale.shape) === 1) return { C: 1, inner: Math.max(1, size) };
  const C = scale.shape[0]!;
  if (scale.shape.length !== 1 || axis < 0 || axis >= x.shape.length || x.shape[axis] !== C) {
    throw new Error(`${op} (wasm): a scale ${shapeText(scale)} needs x.shape[${axis}] = ${C}, got x ${shapeText(x)}`);
  }
  return { C, inner: Math.max(1, sizeOf(x.shape.slice(axis + 1))) };
}

const quantizeLinear: WasmKernel<'quantizeLinear'> = ([x, scale, zp], attrs, be) => {
  const op = 'quantizeLinear';
  checkDtype(op, 'x', x!, ['float32']);
  checkDtype(op, 'the scale', scale!, ['float32']);
  checkDtype(op, 'the zero point', zp!, [attrs.dtype]);
  const { C, inner } = channelRuns(op, x!, scale!, zp!, attrs.axis);
  const size = sizeOf(x!.shape);
  const out = be.alloc(x!.shape, attrs.dtype);
  if (size > 0) {
    const zps = new ParamReader(be).ints(zp!, C);
    be.run('quantizeLinear', [DTYPE_CODE[attrs.dtype], be.ptr(x!), out.ptr, size, C, inner, be.ptr(scale!), be.ints(zps)], size * 2);
  }
  return be.output(out, x!.shape, attrs.dtype);
};

const dequantizeLinear: WasmKernel<'dequantizeLinear'> = ([x, scale, zp], attrs, be) => {
  const op = 'dequantizeLinear';
  checkDtype(op, 'x', x!, ['int8', 'uint8', 'int32']);
  checkDtype(op, 'the scale', scale!, ['float32']);
  checkDtype(op, 'the zero point', zp!, [x!.dtype]);
  const { C, inner } = channelRuns(op, x!, scale!, zp!, attrs.axis);
  const size = sizeOf(x!.shape);
  const out = be.alloc(x!.shape, 'float32');
  if (size > 0) {
    const zps = new ParamReader(be).ints(zp!, C);
    be.run('dequantizeLinear', [DTYPE_CODE[x!.dtype], be.ptr(x!), out.ptr, size, C, inner, be.ptr(scale!), be.ints(zps)], size * 2);
  }
  return be.output(out, x!.shape, 'float32');
};

export const quantKernels = { qlinearMatmul, qlinearConv2d, quantizeLinear, dequantizeLinear } satisfies WasmKernels;
