import { opScope } from '../memory/scope.js';
import { fmtShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { asFloat } from './helpers.js';
import { mean } from './mean.js';
import type { TensorLike } from './tensor-factory.js';

/**
 * Global average pooling (ONNX `GlobalAveragePool`, PyTorch's `adaptive_avg_pool2d(x, 1)`):
 * the mean over every spatial dim of `x` [N, C, H, W] (any rank ≥ 3), kept as size 1 →
 * [N, C, 1, 1]. Gradient: that of `mean`.
 *
 * @example globalAvgPool2d(x) // x [2,8,7,7] → [2,8,1,1]
 */
export function globalAvgPool2d(x: TensorLike): Tensor {
  return opScope(() => {
    const t = asFloat(x);
    if (t.rank < 3) throw new Error(`globalAvgPool2d: input must be [N, C, ...spatial], got ${fmtShape(t.shape)}`);
    return mean(t, t.shape.slice(2).map((_, i) => i + 2), true);
  });
}
