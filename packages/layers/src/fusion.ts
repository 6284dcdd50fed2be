/**
 * Whether containers may fuse consecutive modules (a `Sequential`'s Linear → ReLU into one
 * `linear(…, { activation: 'relu' })`). On by default; tools that must see every module call —
 * the ONNX exporter's tracer — run with it off.
 */
import type { Tensor } from '@mapnn/core';

/** A module a container may fuse with a following ReLU (Linear, Conv2d). */
export interface ReluFusable {
  /** Its own activation; only a module without one ('none') is fused. */
  readonly activation: string;
  /** `forward` followed by a ReLU, in one fused op. */
  forwardRelu(x: Tensor): Tensor;
}

let enabled = true;

/** Whether module fusion is on. */
export function fusionEnabled(): boolean {
  return enabled;
}

/** Runs `fn` with module fusion off (every module's `call` runs on its own), then restores it. */
export function withoutFusion<T>(fn: () => T): T {
  const prev = enabled;
  enabled = false;
  try {
    return fn();
  } finally {
    enabled = prev;
  }
}
