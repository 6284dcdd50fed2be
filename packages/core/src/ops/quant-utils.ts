// Internal helpers shared by the int8 ops (quantizeLinear, dequantizeLinear, qlinearMatmul,
// qlinearConv2d): parameter checks and the float32 requantization of an exact accumulator.
import type { DType } from '../dtypes.js';
import { fmtShape, normAxis } from '../shape.js';
import { isTensor, type Tensor } from '../tensor.js';
import { add } from './add.js';
import { cast } from './cast.js';
import { clip } from './clip.js';
import { div } from './div.js';
import { maximum } from './maximum.js';
import { mul } from './mul.js';
import { reshape } from './reshape.js';
import { round } from './round.js';
import { sub } from './sub.js';
import { tensor, type TensorLike } from './tensor-factory.js';

/** The 8-bit dtypes of quantized tensors. */
export type QuantDType = 'int8' | 'uint8';

/** The activation a quantized matmul / convolution applies on its requantized output. */
export type QuantActivation = 'none' | 'relu';

/** Saturation range of each quantized dtype. */
export const QUANT_RANGE: Record<QuantDType, readonly [number, number]> = { int8: [-128, 127], uint8: [0, 255] };

export function isQuantDType(d: DType): d is QuantDType {
  return d === 'int8' || d === 'uint8';
}

/** Throws unless `t` is int8 or uint8, naming the op and the input. */
export function checkQuantDType(t: Tensor, what: string, op: string): QuantDType {
  if (!isQuantDType(t.dtype)) throw new Error(`${op}: ${what} must be int8 or uint8, got ${t.dtype} ${fmtShape(t.shape)}`);
  return t.dtype;
}

/** A scale as a float32 tensor (a number becomes a scalar); any other float dtype is an error. */
export function scaleTensor(s: TensorLike, what: string, op: string): Tensor {
  const t = isTensor(s) ? s : tensor(s, undefined, 'float32');
  if (t.dtype !== 'float32') throw new Error(`${op}: ${what} must be float32, got ${t.dtype} ${fmtShape(t.shape)}`);
  return t;
}

/** A per-tensor parameter: `[]`, or a one-element 1-D tensor reshaped to `[]`. */
export function perTensor(t: Tensor, what: string, op: string): Tensor {
  if (t.rank === 0) return t;
  if (t.rank === 1 && t.size === 1) return reshape(t, []);
  throw new Error(`${op}: ${what} must be a scalar (per-tensor), got shape ${fmtShape(t.shape)}`);
}

/**
 * A per-tensor (`[]` or one element) or per-channel (`[C]`) parameter: returns `[]` or `[C]`;
 * a 1-D parameter must have `channels` entries (`channelName` names them in the error; a function,
 * so the hot path builds no message).
 */
export function perChannel(t: Tensor, channels: number, what: string, channelName: () => string, op: string): Tensor {
  if (t.rank === 0) return t;
  if (t.rank === 1 && t.size === 1 && channels !== 1) return reshape(t, []);
  if (t.rank === 1 && t.shape[0] === channels) return t;
  throw new Error(`${op}: ${what} must be a scalar or 1-D of length ${channels} (${channelName()}), got shape ${fmtShape(t.shape)}`);
}

/** Throws unless the zero point has the scale's shape and dtype `dtype`. */
export function checkZeroPoint(zp: Tensor, scale: Tensor, dtype: DType, what: string, op: string): void {
  if (zp.dtype !== dtype) throw new Error(`${op}: ${what} must be ${dtype}, got ${zp.dtype} ${fmtShape(zp.shape)}`);
  if (zp.shape.length !== scale.shape.length || zp.shape.some((d, i) => d !== scale.shape[i])) {
    throw new Error(`${op}: ${what} must have the shape of its scale ${fmtShape(scale.shape)}, got ${fmtShape(zp.shape)}`);
  }
}

/**
 * int8 weights (and their zero point) for a uint8 weight tensor: `w − 128` and `zp − 128` keep
 * every difference `w − zp` (so the result) unchanged and let the int8-weight kernels run.
 */
export function uint8ToInt8(t: Tensor): Tensor {
  return t.dtype === 'uint8' ? cast(sub(cast(t, 'int32'), 128), 'int8') : t;
}

/** `x − zp` in float64 (exact), `zp` reshaped to `zpShape`. */
export function centered(x: Tensor, zp: Tensor, zpShape: readonly number[]): Tensor {
  return sub(cast(x, 'float64'), reshape(cast(zp, 'float64'), zpShape));
}

/**
 * The requantization of an exact accumulator `acc` (float64 holding integers):
 * `m = fround(fround(inScale·wScale) / yScale)` (float32), `y = fround(fround(acc)·m)`, rounded
 * half to even, `+ yZp`, `max(y, yZp)` for relu, saturated to yZp's dtype. `wScale` is reshaped
 * to `channelShape` (its channels on the output's channel dim) when per-channel.
 */
export function requantize(
  acc: Tensor, inScale: Tensor, wScale: Tensor, yScale: Tensor, yZp: Tensor, activation: QuantActivation, channelShape: readonly number[],
): Tensor {
  const ws = wScale.rank === 0 ? wScale : reshape(wScale, channelShape);
  const multiplier = div(mul(inScale, ws), yScale); // float32: each product and quotient rounded
  const scaled = mul(cast(acc, 'float32'), multiplier);
  const zp = cast(yZp, 'float32');
  const shifted = add(round(scaled), zp);
  const activated = activation === 'relu' ? maximum(shifted, zp) : shifted;
  const [lo, hi] = QUANT_RANGE[yZp.dtype as QuantDType];
  return cast(clip(activated, lo, hi), yZp.dtype);
}

/** Throws unless `activation` is 'none' or 'relu'. */
export function checkActivation(activation: string, op: string): QuantActivation {
  if (activation !== 'none' && activation !== 'relu') throw new Error(`${op}: activation must be 'none' or 'relu', got '${activation}'`);
  return activation;
}

/** The backward of an inference-only op: a clear error. */
export function noGradient(op: string): () => never {
  return () => {
    throw new Error(`${op} has no gradient: quantized inference only; train with fake quantization`);
  };
}

/**
 * The scale and zero point of a (de)quantization: `[]` (per tensor) or `[C]` along
 * `axis` of `x` (C = x.shape[axis]); returns them with the normalized axis (0 per tensor).
 */
export function quantParams(x: Tensor, scale: Tensor, zp: Tensor, axisOpt: number, op: string): { scale: Tensor; zp: Tensor; axis: number } {
  if (scale.rank === 0 || (scale.rank === 1 && scale.size === 1)) {
    const s = reshape(scale, []);
    checkZeroPoint(zp.rank === 0 ? zp : reshape(zp, zp.size === 1 ? [] : zp.shape), s, zp.dtype, 'zero point', op);
    return { scale: s, zp: reshape(zp, []), axis: 0 };
  }
  if (x.rank === 0) throw new Error(`${op}: a 1-D scale ${fmtShape(scale.shape)} needs an input of rank ≥ 1, got a scalar`);
  const axis = normAxis(axisOpt, x.rank, op);
  const s = perChannel(scale, x.shape[axis]!, 'scale', () => `x.shape[${axis}] of ${fmtShape(x.shape)}`, op);
  checkZeroPoint(zp, s, zp.dtype, 'zero point', op);
  return { scale: s, zp, axis };
}

/** `[C]` → the shape that broadcasts it along `axis` of a rank-`rank` tensor. */
export function alongAxis(p: Tensor, axis: number, rank: number): Tensor {
  return p.rank === 0 ? p : reshape(p, Array.from({ length: rank }, (_, i) => (i === axis ? p.size : 1)));
}
