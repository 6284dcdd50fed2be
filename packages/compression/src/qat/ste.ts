import { add, cast, clip, div, ge, le, logicalAnd, mul, noGrad, opScope, reshape, round, sub, sum, tidy, where, withGrad, type Tensor } from '@mapnn/core';

/** A scale or zero point: one number (per tensor) or a 1-D tensor (one per channel along an axis). */
export type QuantParam = number | Tensor;

/** The integer range of a fake-quantizer, e.g. [−128, 127] (int8), [−127, 127] (symmetric int8), [0, 255]. */
export interface IntRange {
  qmin: number;
  qmax: number;
}

interface Parts {
  /** (saturate(round(x / s) + zp) − zp) · s */
  y: Tensor;
  /** the saturated integer */
  q: Tensor;
  /** 1 where round(x / s) + zp lies in [qmin, qmax], else 0 (x's dtype) */
  mask: Tensor;
}

function checkRange({ qmin, qmax }: IntRange, fn: string): void {
  if (!Number.isInteger(qmin) || !Number.isInteger(qmax) || qmin >= qmax) {
    throw new RangeError(`${fn}: the integer range must be whole numbers with qmin < qmax, got [${qmin}, ${qmax}]`);
  }
}

/**
 * The forward values of a fake-quantizer, computed as ONNX QuantizeLinear → DequantizeLinear
 * in float32 (x / s, round half to even, + zp, saturate, − zp, · s: the same arithmetic as
 * `fakeQuantize`, with tensor parameters) and the in-range mask of the straight-through estimator.
 */
function fakeQuantParts(x: Tensor, scale: QuantParam, zeroPoint: QuantParam, { qmin, qmax }: IntRange): Parts {
  return noGrad(() =>
    tidy(() => {
      const v = add(round(div(x, scale)), zeroPoint);
      const q = clip(v, qmin, qmax);
      return { y: mul(sub(q, zeroPoint), scale), q, mask: cast(logicalAnd(ge(v, qmin), le(v, qmax)), x.dtype) };
    }),
  );
}

/**
 * Fake quantization with the straight-through estimator, per tensor (scale and zero point
 * numbers or 0-d tensors, treated as constants): forward (saturate(round-half-even(x / s) + zp) −
 * zp) · s, backward dy where round(x / s) + zp lies in [qmin, qmax] and 0 outside — the
 * gradient of `torch.fake_quantize_per_tensor_affine`.
 *
 * @example
 * fakeQuantizeSte(tensor([0.26, 9]), 0.1, 0, { qmin: -128, qmax: 127 }) // [0.3, 9] → y, grad mask [1, 1]
 */
export function fakeQuantizeSte(x: Tensor, scale: QuantParam, zeroPoint: QuantParam, range: IntRange): Tensor {
  checkRange(range, 'fakeQuantizeSte');
  return opScope(() => {
    const { y, mask } = fakeQuantParts(x, scale, zeroPoint, range);
    return withGrad('fakeQuantizeSte', [x], y, (dy) => [mul(dy, mask)]);
  });
}

/** [1, …, C, …, 1] with C at `axis` of a rank-`rank` tensor. */
function channelShape(c: number, axis: number, rank: number): number[] {
  return Array.from({ length: rank }, (_, i) => (i === axis ? c : 1));
}

/**
 * Per-channel fake quantization with the straight-through estimator
 * (`torch.fake_quantize_per_channel_affine`): `scales` and `zeroPoints` are 1-D tensors of
 * x.shape[axis] entries (constants); channel c uses its own pair. Gradient as `fakeQuantizeSte`.
 *
 * @example
 * fakeQuantizePerChannelSte(w, tensor([0.1, 0.02]), tensor([0, 0]), 0, { qmin: -127, qmax: 127 })
 */
export function fakeQuantizePerChannelSte(x: Tensor, scales: Tensor, zeroPoints: Tensor, axis: number, range: IntRange): Tensor {
  checkRange(range, 'fakeQuantizePerChannelSte');
  if (!Number.isInteger(axis) || axis < 0 || axis >= x.rank) {
    throw new RangeError(`fakeQuantizePerChannelSte: axis ${axis} is out of range for input [${x.shape.join(', ')}]`);
  }
  const c = x.shape[axis]!;
  if (scales.rank !== 1 || scales.size !== c || zeroPoints.rank !== 1 || zeroPoints.size !== c) {
    throw new RangeError(
      `fakeQuantizePerChannelSte: scales [${scales.shape.join(', ')}] and zero points [${zeroPoints.shape.join(', ')}] must be 1-D with ${c} entries (input [${x.shape.join(', ')}], axis ${axis})`,
    );
  }
  return opScope(() => {
    const shape = channelShape(c, axis, x.rank);
    const { y, mask } = fakeQuantParts(x, reshape(scales, shape), reshape(zeroPoints, shape), range);
    return withGrad('fakeQuantizePerChannelSte', [x], y, (dy) => [mul(dy, mask)]);
  });
}

/**
 * Fake quantization with a learnable per-tensor scale (LSQ, Esser et al. 2019, as
 * `torch._fake_quantize_learnable_per_tensor_affine` with a fixed zero point): forward as
 * `fakeQuantizeSte`; dx = dy inside the range, 0 outside; ds = gradFactor · Σ dy · g with
 * g = (x̂ − x) / s inside the range and (qmin − zp) or (qmax − zp) outside (x̂ the forward
 * value). Esser's gradFactor is 1/√(numel · qmax).
 *
 * @example
 * const s = parameter(tensor(0.1));
 * fakeQuantizeLearnable(x, s, 0, { qmin: -128, qmax: 127 }, 1 / Math.sqrt(x.size * 127)).sum().backward();
 */
export function fakeQuantizeLearnable(x: Tensor, scale: Tensor, zeroPoint: number, range: IntRange, gradFactor = 1): Tensor {
  checkRange(range, 'fakeQuantizeLearnable');
  if (scale.size !== 1) throw new RangeError(`fakeQuantizeLearnable: the scale must hold one value, got shape [${scale.shape.join(', ')}]`);
  return opScope(() => {
    const s = scale.detach();
    const { y, q, mask } = fakeQuantParts(x, reshape(s, []), zeroPoint, range);
    // ∂y/∂s per element: (y − x)/s where the value is inside the range, (q − zp) where it saturated
    const g = noGrad(() => tidy(() => mul(where(ge(mask, 0.5), div(sub(y, x), reshape(s, [])), sub(q, zeroPoint)), gradFactor)));
    return withGrad('fakeQuantizeLearnable', [x, scale], y, (dy) => [mul(dy, mask), reshape(sum(mul(dy, g)), scale.shape)]);
  });
}
