import { withGrad } from '../autograd/node.js';
import { opScope } from '../memory/scope.js';
import { fmtShape } from '../shape.js';
import { isTensor, type Tensor } from '../tensor.js';
import { add } from './add.js';
import { cast } from './cast.js';
import { clip } from './clip.js';
import { zeros } from './creation.js';
import { div } from './div.js';
import { eq } from './eq.js';
import { hasKernel, runKernel } from './kernel.js';
import { alongAxis, isQuantDType, noGradient, QUANT_RANGE, quantParams, scaleTensor, type QuantDType } from './quant-utils.js';
import { round } from './round.js';
import { tensor, type TensorLike } from './tensor-factory.js';
import { where } from './where.js';

export type { QuantDType, QuantActivation } from './quant-utils.js';

/** Options of `quantizeLinear`. */
export interface QuantizeLinearOptions {
  /** The dim a 1-D scale runs along (default 1, as ONNX; negative counts from the end). */
  axis?: number;
  /** The output dtype when no zero point is given (default 'uint8', as ONNX); else the zero point's. */
  dtype?: QuantDType;
}

/**
 * Quantizes float32 `x` to int8 / uint8 (ONNX QuantizeLinear):
 * `y = saturate(roundHalfEven(fround(x / scale)) + zeroPoint)`, the division in float32, NaN
 * giving `zeroPoint`. `scale` (float32) and `zeroPoint` (int8 or uint8: the output dtype) are
 * scalars (per tensor) or 1-D of length `x.shape[axis]` (per channel). Without a zero point it
 * is 0 of `opts.dtype` (default uint8). Uses a backend `quantizeLinear` kernel when registered,
 * else `div`, `round`, `add`, `clip` and `cast`. No gradient (inference only).
 *
 * @example quantizeLinear(tensor([0, 2, 3, 1000, -254, -1000]), 2, tensor(128, [], 'uint8')) // [128, 129, 130, 255, 1, 0]
 */
export function quantizeLinear(x: TensorLike, scale: TensorLike, zeroPoint: Tensor | null = null, opts: QuantizeLinearOptions = {}): Tensor {
  const op = 'quantizeLinear';
  return opScope(() => {
    const xt = isTensor(x) ? x : tensor(x, undefined, 'float32');
    if (xt.dtype !== 'float32') throw new Error(`${op}: x must be float32, got ${xt.dtype} ${fmtShape(xt.shape)}`);
    const s0 = scaleTensor(scale, 'scale', op);
    const dtype = zeroPoint?.dtype ?? opts.dtype ?? 'uint8';
    if (!isQuantDType(dtype)) throw new Error(`${op}: the zero point (the output dtype) must be int8 or uint8, got ${dtype}`);
    if (zeroPoint && opts.dtype && opts.dtype !== dtype) throw new Error(`${op}: dtype '${opts.dtype}' differs from the zero point's dtype ${dtype}`);
    const zp0 = zeroPoint ?? zeros(s0.shape, dtype);
    const { scale: s, zp, axis } = quantParams(xt, s0, zp0, opts.axis ?? 1, op);
    const out = hasKernel(op, 'float32')
      ? runKernel(op, [xt, s, zp], { axis, dtype })
      : composeQuantize(xt, alongAxis(s, axis, xt.rank), alongAxis(zp, axis, xt.rank), dtype);
    return withGrad(op, [xt, s], out, noGradient(op));
  });
}

/** The composition: float32 division, NaN → 0, round half to even, + zero point, saturate. */
function composeQuantize(x: Tensor, scale: Tensor, zp: Tensor, dtype: QuantDType): Tensor {
  const v = div(x, scale);
  const finiteOrInf = where(eq(v, v), v, 0);
  const [lo, hi] = QUANT_RANGE[dtype];
  return cast(clip(add(round(finiteOrInf), cast(zp, 'float32')), lo, hi), dtype);
}
