/**
 * A scalar reference of a unary elementwise op: what the op computes at one point, in float64.
 * The conformance suite (tooling/backend-tests) checks the op against it on every backend.
 */
export interface ElementwiseReference {
  /** The op's value at `x`. */
  readonly value: (x: number) => number;
  /**
   * The interval `[low, high]` the suite samples: forward against `value`, and the gradient by
   * finite differences, so the op must be differentiable on it (kinks only where the
   * derivative is still continuous).
   */
  readonly domain: readonly [number, number];
}

/**
 * An op file's scalar references, by op name (`export const references = { softsign: … }`),
 * collected by scripts/gen-ops.mjs into `elementwiseReferences()`.
 */
export type ElementwiseReferences = Readonly<Record<string, ElementwiseReference>>;
