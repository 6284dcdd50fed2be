import { opScope } from '../memory/scope.js';
import type { Tensor } from '../tensor.js';
import { abs } from './abs.js';
import { add } from './add.js';
import { composite } from './composite.js';
import { div } from './div.js';
import type { ElementwiseReferences } from './elementwise-reference.js';
import { asFloat } from './helpers.js';
import { square } from './square.js';
import type { TensorLike } from './tensor-factory.js';

/**
 * Elementwise softsign `x / (1 + |x|)` (PyTorch `F.softsign`): a smooth sign in (-1, 1), composed
 * from primitives. Int and bool inputs give float32.
 * Gradient: `dy / (1 + |x|)²`.
 *
 * @example softsign(tensor([-3, 0, 1])) // [-0.75, 0, 0.5]
 */
export function softsign(x: TensorLike): Tensor {
  return opScope(() => {
    const t = asFloat(x);
    return composite(
      'softsign',
      [t],
      () => div(t, add(abs(t), 1)),
      (dy) => [div(dy, square(add(abs(t), 1)))],
    );
  });
}

/** Tensor methods of this op (installed by the package entry; absent from `@mapnn/core/functions`). */
export const methods = {
  /** Softsign `x / (1 + |x|)`; see `softsign`. */
  softsign(this: Tensor): Tensor { return softsign(this); },
};

/** The scalar reference the conformance suite checks softsign against, on every backend. */
export const references: ElementwiseReferences = {
  softsign: { value: (x) => x / (1 + Math.abs(x)), domain: [-5, 5] },
};
