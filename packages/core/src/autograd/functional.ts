import type { Tensor } from '../tensor.js';
import { engine } from '../engine.js';
import { tidy } from '../memory/scope.js';
import { gradients } from './backward.js';

type Fn = (...xs: Tensor[]) => Tensor;

// An input that already requires grad belongs to an outer differentiation (grad of grad,
// MAML's meta-gradient): it is used as is, and the gradient computation is recorded so the
// outer level sees it. Other inputs are differentiated through fresh views.
const needsGraph = (xs: Tensor[]) => engine.gradEnabled && xs.some((x) => x.requiresGrad);
const asInputs = (xs: Tensor[]) => xs.map((x) => (x.requiresGrad ? x : x.detach().requiresGrad_()));

/**
 * `valueAndGrads(f)(...xs)` returns `f`'s value and its gradients with respect to every
 * argument. `f` must return a scalar. Nests for higher-order gradients.
 */
export function valueAndGrads(f: Fn): (...xs: Tensor[]) => { value: Tensor; grads: Tensor[] } {
  return (...xs) => {
    const createGraph = needsGraph(xs);
    const body = () => {
      const inputs = asInputs(xs);
      const value = f(...inputs);
      if (value.size !== 1) throw new Error(`grad: f must return a scalar, got shape [${value.shape.join(',')}]`);
      const grads = gradients(value, inputs, { createGraph });
      return { value: createGraph ? value : value.detach(), grads };
    };
    // Without an outer level the intermediates are freed at once.
    return createGraph ? body() : tidy(body);
  };
}

/** `valueAndGrad(f)(x)` → `{ value, grad }` for a scalar function of one tensor. */
export function valueAndGrad(f: (x: Tensor) => Tensor): (x: Tensor) => { value: Tensor; grad: Tensor } {
  const vg = valueAndGrads(f as Fn);
  return (x) => {
    const { value, grads } = vg(x);
    return { value, grad: grads[0]! };
  };
}

/**
 * `grad(f)` is the function computing df/dx for a scalar-valued `f`. Compose it for higher
 * orders: `grad(grad(f))(x)` is the second derivative (elementwise for elementwise `f`
 * summed to a scalar).
 *
 * @example
 * const d2 = grad((x) => grad((y) => y.pow(3).sum())(x).sum())(tensor([2])); // 6x = [12]
 */
export function grad(f: (x: Tensor) => Tensor): (x: Tensor) => Tensor {
  const vg = valueAndGrads(f as Fn);
  return (x) => {
    const { value, grads } = vg(x);
    if (!value.requiresGrad) value.dispose();
    return grads[0]!;
  };
}

/** `grads(f)(...xs)` → the gradients of scalar `f` with respect to each argument. */
export function grads(f: Fn): (...xs: Tensor[]) => Tensor[] {
  const vg = valueAndGrads(f);
  return (...xs) => {
    const { value, grads: gs } = vg(...xs);
    if (!value.requiresGrad) value.dispose();
    return gs;
  };
}
