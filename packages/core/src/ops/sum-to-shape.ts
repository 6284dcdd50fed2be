import { opScope } from '../memory/scope.js';
import { fmtShape, shapesEqual, type Shape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { reshape } from './reshape.js';
import { sum } from './sum.js';

/**
 * Sums a gradient of a broadcast result back to the operand's `shape` — the gradient rule of
 * every broadcasting op. Differentiable (so grad of grad works through broadcasting).
 */
export function sumToShape(g: Tensor, shape: Shape): Tensor {
  if (shapesEqual(g.shape, shape)) return g;
  return opScope(() => {
    const lead = g.rank - shape.length;
    if (lead < 0) throw new Error(`sumToShape: gradient ${fmtShape(g.shape)} has lower rank than ${fmtShape(shape)}`);
    const axes: number[] = [];
    for (let i = 0; i < g.rank; i++) {
      if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) axes.push(i);
    }
    const s = axes.length ? sum(g, axes, true) : g;
    return reshape(s, shape);
  });
}
