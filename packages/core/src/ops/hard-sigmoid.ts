import { opScope } from '../memory/scope.js';
import type { Tensor } from '../tensor.js';
import { add } from './add.js';
import { clip } from './clip.js';
import { composite } from './composite.js';
import { gt } from './gt.js';
import { asFloat } from './helpers.js';
import { logicalAnd } from './logical-and.js';
import { lt } from './lt.js';
import { mul } from './mul.js';
import type { TensorLike } from './tensor-factory.js';
import { where } from './where.js';

/**
 * Elementwise `clip(alpha·x + beta, 0, 1)`; the defaults are PyTorch's `hardsigmoid`
 * (`x/6 + 1/2`), ONNX HardSigmoid uses `alpha = 0.2`.
 * Gradient: `alpha·dy` where `0 < alpha·x + beta < 1`, else 0.
 *
 * @example hardSigmoid(tensor([-3, 0, 3])) // [0, 0.5, 1]
 */
export function hardSigmoid(x: TensorLike, alpha = 1 / 6, beta = 0.5): Tensor {
  return opScope(() => {
    const t = asFloat(x);
    return composite(
      'hardSigmoid',
      [t],
      () => clip(add(mul(t, alpha), beta), 0, 1),
      (dy, out) => [where(logicalAnd(gt(out, 0), lt(out, 1)), mul(dy, alpha), 0)],
    );
  });
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  hardSigmoid(this: Tensor, alpha?: number, beta?: number): Tensor { return hardSigmoid(this, alpha, beta); },
};
