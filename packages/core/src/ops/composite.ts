import { noGrad, withGrad } from '../autograd/node.js';
import { tidy } from '../memory/scope.js';
import type { Tensor } from '../tensor.js';
import { runKernel } from './kernel.js';

/**
 * Runs the forward of an op composed from other ops without recording it (its temporaries are
 * freed at once) and attaches the op's own `backward`, written with public ops, to the result.
 * Used by ops that have no primitive kernel (sigmoid, gelu, softplus, …) so their gradient is
 * one stable closed form rather than the chain through the composition. `backward` also gets
 * the op's output.
 */
export function composite(
  op: string,
  inputs: readonly Tensor[],
  forward: () => Tensor,
  backward: (dy: Tensor, out: Tensor) => readonly (Tensor | null | undefined)[],
): Tensor {
  const raw = noGrad(() => tidy(forward));
  // never attach a gradient to an input itself
  const out = inputs.includes(raw) ? runKernel('cast', [raw], { dtype: raw.dtype }) : raw;
  return withGrad(op, inputs, out, (dy) => backward(dy, out));
}
