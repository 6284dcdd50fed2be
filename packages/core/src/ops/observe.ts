import type { KernelAttrs } from '../backend.js';
import type { Tensor } from '../tensor.js';

/** One observed computation: a kernel call, or a view op (`reshape`) that runs no kernel. */
export interface KernelEvent {
  op: string;
  inputs: readonly Tensor[];
  attrs: KernelAttrs;
  output: Tensor;
}

let observers: ((e: KernelEvent) => void)[] = [];

/**
 * Runs `fn` while `observer` sees every kernel call (and every `reshape` view) with its inputs,
 * attributes and output — the hook a tracer (ONNX export, graph viewers, profilers) builds on.
 * Observers nest; each sees the calls made while it is active.
 *
 * @example
 * const seen: string[] = [];
 * observeKernels((e) => seen.push(e.op), () => x.matmul(w).relu()); // ['matmul', 'maximum', …]
 */
export function observeKernels<T>(observer: (e: KernelEvent) => void, fn: () => T): T {
  observers = [...observers, observer];
  try {
    return fn();
  } finally {
    observers = observers.filter((o) => o !== observer);
  }
}

/** @internal Reports a computation to the active observers. */
export function notifyKernel(op: string, inputs: readonly Tensor[], attrs: KernelAttrs, output: Tensor): void {
  if (observers.length === 0) return;
  const e = { op, inputs, attrs, output };
  for (const o of observers) o(e);
}
