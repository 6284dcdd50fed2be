import type { Tensor } from '../tensor.js';
import { engine } from '../engine.js';

/**
 * One recorded op in the define-by-run graph. Every op has exactly one output; `backward`
 * maps the output's gradient to one gradient per input (null where none flows), written with
 * public ops only, so it runs on every backend and can itself be differentiated.
 */
export interface GradNode {
  op: string;
  inputs: readonly Tensor[];
  backward: (dy: Tensor) => readonly (Tensor | null | undefined)[];
}

/**
 * Attaches a gradient function to `out` when grad mode is on and an input requires gradients.
 * Returns `out`.
 */
export function withGrad(
  op: string,
  inputs: readonly Tensor[],
  out: Tensor,
  backward: (dy: Tensor) => readonly (Tensor | null | undefined)[],
): Tensor {
  if (engine.gradEnabled && inputs.some((t) => t.requiresGrad)) {
    out.requiresGrad = true;
    out.gradFn = { op, inputs, backward };
  }
  return out;
}

export function isGradEnabled(): boolean {
  return engine.gradEnabled;
}

/** Runs `fn` with gradient recording off (PyTorch's `torch.no_grad()`). */
export function noGrad<T>(fn: () => T): T {
  const prev = engine.gradEnabled;
  engine.gradEnabled = false;
  try {
    return fn();
  } finally {
    engine.gradEnabled = prev;
  }
}

/** Runs `fn` with gradient recording on, even inside `noGrad`. */
export function enableGrad<T>(fn: () => T): T {
  const prev = engine.gradEnabled;
  engine.gradEnabled = true;
  try {
    return fn();
  } finally {
    engine.gradEnabled = prev;
  }
}
