import { opScope } from '../memory/scope.js';
import type { Tensor } from '../tensor.js';
import { add } from './add.js';
import { composite } from './composite.js';
import { div } from './div.js';
import type { ElementwiseReferences } from './elementwise-reference.js';
import { asFloat } from './helpers.js';
import { le } from './le.js';
import { lt } from './lt.js';
import { mul } from './mul.js';
import { relu6 } from './relu6.js';
import type { TensorLike } from './tensor-factory.js';
import { where } from './where.js';

/**
 * Elementwise hard swish `x · relu6(x + 3) / 6` (PyTorch `F.hardswish`, MobileNetV3), composed
 * from primitives. Int and bool inputs give float32.
 * Gradient (PyTorch): 0 where `x < -3`, `dy·(x/3 + 1/2)` where `-3 ≤ x ≤ 3`, `dy` above.
 *
 * @example hardswish(tensor([-4, 0, 1, 4])) // [0, 0, 0.6667, 4]
 */
export function hardswish(x: TensorLike): Tensor {
  return opScope(() => {
    const t = asFloat(x);
    return composite(
      'hardswish',
      [t],
      () => div(mul(t, relu6(add(t, 3))), 6),
      (dy) => [where(lt(t, -3), 0, where(le(t, 3), mul(dy, add(div(t, 3), 0.5)), dy))],
    );
  });
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  /** Hard swish `x · relu6(x + 3) / 6`; see `hardswish`. */
  hardswish(this: Tensor): Tensor { return hardswish(this); },
};

/** The scalar reference the conformance suite checks hardswish against (its kinks at ±3 fall between samples). */
export const references: ElementwiseReferences = {
  hardswish: { value: (x) => (x * Math.min(Math.max(x + 3, 0), 6)) / 6, domain: [-5, 5] },
};
