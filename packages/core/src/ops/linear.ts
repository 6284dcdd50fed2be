import { opScope } from '../memory/scope.js';
import { fmtShape, sizeOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { binaryOperands, castTo } from './helpers.js';
import { fusedMatmul, type FusedActivation } from './fused-matmul.js';
import { reshape } from './reshape.js';

/** Options of `linear`. */
export interface LinearOpOptions {
  /** Applied to the result, fused into the matmul where the backend can (default 'none'). */
  activation?: FusedActivation;
}

/**
 * `activation(x · weightᵀ + bias)`, PyTorch's `F.linear` (plus an optional fused ReLU): `x` is
 * `[…, in]`, `weight` `[out, in]`, `bias` `[out]`; the result is `[…, out]`. The transpose is
 * folded into the matmul (no copy of the weight is made, forward or backward), and bias and
 * activation are applied by the backend's `fusedMatmul` kernel where it has one.
 * Gradient: through `fusedMatmul` (dX = dZ·W, dW = dZᵀ·X, dbias = Σ dZ).
 *
 * @example linear(ones([8, 4]), ones([2, 4]), zeros([2])).shape // [8, 2]
 * @example linear(x, w, b, { activation: 'relu' }) // relu(F.linear(x, w, b))
 */
export function linear(input: Tensor, w: Tensor, b?: Tensor | null, options: LinearOpOptions = {}): Tensor {
  return opScope(() => {
    // dtypes promote as in matmul (a float64 input with float32 weights computes in float64)
    const [x, weight] = binaryOperands(input, w);
    const bias = b ? castTo(b, weight.dtype) : null;
    const inF = x.shape[x.rank - 1];
    if (x.rank < 1 || weight.rank !== 2 || weight.shape[1] !== inF) {
      throw new Error(`linear: expected x [..., in] and weight [out, in] with equal 'in', got x ${fmtShape(x.shape)} and weight ${fmtShape(weight.shape)}`);
    }
    const outF = weight.shape[0]!;
    if (bias && (bias.rank !== 1 || bias.shape[0] !== outF)) {
      throw new Error(`linear: bias must be [${outF}] for weight ${fmtShape(weight.shape)}, got ${fmtShape(bias.shape)}`);
    }
    const lead = x.shape.slice(0, -1);
    const rows = sizeOf(lead);
    const y3 = fusedMatmul(reshape(x, [1, rows, inF!]), reshape(weight, [1, outF, inF!]), false, true, bias, options.activation ?? 'none');
    return reshape(y3, [...lead, outF]);
  });
}
