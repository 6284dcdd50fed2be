/** Op codes shared with the kernels (assembly/math.ts, assembly/reduce.ts). */
export const UNARY_CODE: Record<string, number> = {
  neg: 0, abs: 1, sign: 2, floor: 3, ceil: 4, round: 5, logicalNot: 6, exp: 7, expm1: 8, log: 9,
  log1p: 10, sqrt: 11, sin: 12, cos: 13, tanh: 14, erf: 15, reciprocal: 16,
  // optional fast path (core composes it when a backend lacks it)
  sigmoid: 17,
};

/** Binary op codes; codes ≥ 8 (comparisons and logical ops) produce bool. */
export const BINARY_CODE: Record<string, number> = {
  add: 0, sub: 1, mul: 2, div: 3, pow: 4, maximum: 5, minimum: 6, mod: 7,
  eq: 8, ne: 9, lt: 10, le: 11, gt: 12, ge: 13, logicalAnd: 14, logicalOr: 15, logicalXor: 16,
};
export const FIRST_BOOL_BINARY = 8;

export const REDUCE_CODE: Record<string, number> = { sum: 0, prod: 1, max: 2, min: 3 };
export const ARG_REDUCE_CODE: Record<string, number> = { argmax: 0, argmin: 1 };

/** Activation codes of the fused kernels' epilogues (fusedMatmul, fusedConv2d). */
export const ACTIVATION_CODE: Record<string, number> = { none: 0, relu: 1 };

/** The activation code of a fused kernel's `activation` attr (default 'none'); unknown names throw, naming the op. */
export function activationCode(op: string, activation: unknown): number {
  const code = ACTIVATION_CODE[(activation as string | undefined) ?? 'none'];
  if (code === undefined) throw new Error(`${op} (wasm): unknown activation '${String(activation)}' (known: ${Object.keys(ACTIVATION_CODE).join(', ')})`);
  return code;
}
