import { withGrad } from '../autograd/node.js';
import { opScope } from '../memory/scope.js';
import { fmtShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { cast } from './cast.js';
import { zeros } from './creation.js';
import { hasKernel, runKernel } from './kernel.js';
import { mul } from './mul.js';
import { alongAxis, noGradient, quantParams, scaleTensor } from './quant-utils.js';
import { sub } from './sub.js';
import type { TensorLike } from './tensor-factory.js';

/** Options of `dequantizeLinear`. */
export interface DequantizeLinearOptions {
  /** The dim a 1-D scale runs along (default 1, as ONNX; negative counts from the end). */
  axis?: number;
}

/**
 * Dequantizes int8 / uint8 / int32 `x` to float32 (ONNX DequantizeLinear):
 * `y = fround(fround(x − zeroPoint) · scale)` (the difference exact, as an int32). `scale`
 * (float32) and `zeroPoint` (x's dtype; default 0) are scalars (per tensor) or 1-D of length
 * `x.shape[axis]` (per channel). Uses a backend `dequantizeLinear` kernel when registered, else
 * `cast`, `sub` (in float64) and `mul`. No gradient (inference only).
 *
 * @example dequantizeLinear(tensor([0, 3, 128, 255], [4], 'uint8'), 2, tensor(128, [], 'uint8')) // [-256, -250, 0, 254]
 */
export function dequantizeLinear(x: Tensor, scale: TensorLike, zeroPoint: Tensor | null = null, opts: DequantizeLinearOptions = {}): Tensor {
  const op = 'dequantizeLinear';
  return opScope(() => {
    if (x.dtype !== 'int8' && x.dtype !== 'uint8' && x.dtype !== 'int32') throw new Error(`${op}: x must be int8, uint8 or int32, got ${x.dtype} ${fmtShape(x.shape)}`);
    const s0 = scaleTensor(scale, 'scale', op);
    const zp0 = zeroPoint ?? zeros(s0.shape, x.dtype);
    if (zp0.dtype !== x.dtype) throw new Error(`${op}: the zero point must have x's dtype ${x.dtype}, got ${zp0.dtype} ${fmtShape(zp0.shape)}`);
    const { scale: s, zp, axis } = quantParams(x, s0, zp0, opts.axis ?? 1, op);
    const out = hasKernel(op, x.dtype)
      ? runKernel(op, [x, s, zp], { axis })
      : mul(cast(sub(cast(x, 'float64'), cast(alongAxis(zp, axis, x.rank), 'float64')), 'float32'), alongAxis(s, axis, x.rank));
    return withGrad(op, [s], out, noGradient(op));
  });
}
