import { add, mul, neg, type Tensor } from '@mapnn/core';

/** Options shared by most optimizers. */
export interface DecayOptions {
  /** L2 penalty added to the gradient: `g + weightDecay·θ` (default 0). */
  weightDecay: number;
  /** Maximize the objective instead of minimizing it (the gradient is negated; default false). */
  maximize: boolean;
}

/** The gradient an update uses: negated when maximizing, plus the L2 term `weightDecay·θ`. */
export function effectiveGrad(param: Tensor, grad: Tensor, maximize: boolean, weightDecay: number): Tensor {
  let g = maximize ? neg(grad) : grad;
  if (weightDecay !== 0) g = add(g, mul(param, weightDecay));
  return g;
}

/** `beta·avg + (1 - beta)·x`, an exponential moving average step. */
export function lerpAvg(avg: Tensor, x: Tensor, beta: number): Tensor {
  return add(mul(avg, beta), mul(x, 1 - beta));
}

/** `beta·avg + (1 - beta)·x²`, an exponential moving average of squares. */
export function lerpSquareAvg(avg: Tensor, x: Tensor, beta: number): Tensor {
  return add(mul(avg, beta), mul(mul(x, x), 1 - beta));
}
