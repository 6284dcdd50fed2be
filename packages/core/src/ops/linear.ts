import { opScope } from '../memory/scope.js';
import { fmtShape, sizeOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { add } from './add.js';
import { batchMatmul } from './matmul.js';
import { reshape } from './reshape.js';

/**
 * `x · weightᵀ + bias`, PyTorch's `F.linear`: `x` is `[…, in]`, `weight` `[out, in]`, `bias`
 * `[out]`; the result is `[…, out]`. The transpose is folded into the matmul (no copy of the
 * weight is made, forward or backward). Gradient: through `batchMatmul` (dX = dY·W,
 * dW = dYᵀ·X with the transposes again folded) and the broadcast `add`.
 *
 * @example linear(ones([8, 4]), ones([2, 4]), zeros([2])).shape // [8, 2]
 */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  return opScope(() => {
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
    const y3 = batchMatmul(reshape(x, [1, rows, inF!]), reshape(weight, [1, outF, inF!]), false, true);
    const y = reshape(y3, [...lead, outF]);
    return bias ? add(y, bias) : y;
  });
}
