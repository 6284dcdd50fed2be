/**
 * The kernels behind each multi-op export of the kernel module, in op-code order: an op's code
 * is its index in its list (the `unary`, `binary`, `reduce` and `argReduce` exports switch on
 * it). Each name is a kernel of core's spec table (a misspelt one is a compile error).
 * assembly/op-codes.ts, the kernel module's constants, is generated from these lists
 * (`pnpm --filter @mapnn/backend-wasm gen`; op-codes.test.ts fails when it is stale).
 */
import type { KernelActivation, KernelName } from '@mapnn/core/backend';

export const UNARY_OPS = [
  'neg', 'abs', 'sign', 'floor', 'ceil', 'round', 'logicalNot', 'exp', 'expm1', 'log',
  'log1p', 'sqrt', 'sin', 'cos', 'tanh', 'erf', 'reciprocal',
  'sigmoid', // optional fast path (core composes it when a backend lacks it)
] as const satisfies readonly KernelName[];

/** Binary ops; from `eq` on (comparisons and logical ops) they produce bool. */
export const BINARY_OPS = [
  'add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'mod',
  'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'logicalAnd', 'logicalOr', 'logicalXor',
] as const satisfies readonly KernelName[];

export const REDUCE_OPS = ['sum', 'prod', 'max', 'min'] as const satisfies readonly KernelName[];
export const ARG_REDUCE_OPS = ['argmax', 'argmin'] as const satisfies readonly KernelName[];

/** Activation codes of the fused kernels' epilogues (fusedMatmul, fusedConv2d). */
export const ACTIVATIONS = ['none', 'relu'] as const satisfies readonly KernelActivation[];

export type UnaryOp = (typeof UNARY_OPS)[number];
export type BinaryOp = (typeof BINARY_OPS)[number];
export type ReduceOp = (typeof REDUCE_OPS)[number];
export type ArgReduceOp = (typeof ARG_REDUCE_OPS)[number];

/** The op code of `op`: its index in `ops`. */
export function opCode<Op extends string>(ops: readonly Op[], op: Op): number {
  return ops.indexOf(op);
}

/** Binary op codes from this one on produce bool. */
export const FIRST_BOOL_BINARY = opCode(BINARY_OPS, 'eq');

/** The activation code of a fused kernel's `activation` attr (default 'none'); unknown names throw, naming the op. */
export function activationCode(op: string, activation: KernelActivation | undefined): number {
  const code = ACTIVATIONS.indexOf(activation ?? 'none');
  if (code < 0) throw new Error(`${op} (wasm): unknown activation '${String(activation)}' (known: ${ACTIVATIONS.join(', ')})`);
  return code;
}
