import { add, clip, div, mul, round, sub, type Tensor } from '@mapnn/core';
import { quantRange, type QParams } from './qparams.js';

/**
 * Quantize → dequantize in float (ONNX QuantizeLinear then DequantizeLinear, per tensor):
 * (saturate(round-half-even(x / scale) + zp) − zp) · scale. The values are those an int8
 * runtime represents; the gradient is zero (round), so this is for inference only.
 */
export function fakeQuantize(x: Tensor, q: QParams): Tensor {
  const [qmin, qmax] = quantRange(q.dtype);
  const v = clip(add(round(div(x, q.scale)), q.zeroPoint), qmin, qmax);
  return mul(sub(v, q.zeroPoint), q.scale);
}
