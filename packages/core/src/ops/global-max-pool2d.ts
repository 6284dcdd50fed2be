import { opScope } from '../memory/scope.js';
import { fmtShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { asFloat } from './helpers.js';
import { max } from './max.js';
import type { TensorLike } from './tensor-factory.js';

/**
 * Global max pooling (ONNX `GlobalMaxPool`, PyTorch's `adaptive_max_pool2d(x, 1)`): the
 * maximum over every spatial dim of `x` [N, C, H, W] (any rank ≥ 3), kept as size 1 →
 * [N, C, 1, 1]. Gradient: that of `max` (split among tied maxima).
 *
 * @example globalMaxPool2d(x) // x [2,8,7,7] → [2,8,1,1]
 */
export function globalMaxPool2d(x: TensorLike): Tensor {
  return opScope(() => {
    const t = asFloat(x);
    if (t.rank < 3) throw new Error(`globalMaxPool2d: input must be [N, C, ...spatial], got ${fmtShape(t.shape)}`);
    return max(t, t.shape.slice(2).map((_, i) => i + 2), true);
  });
}
