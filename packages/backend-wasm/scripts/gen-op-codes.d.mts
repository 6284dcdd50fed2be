/** Types of scripts/gen-op-codes.mjs (imported by src/kernels/op-codes.test.ts). */
export interface OpCodeLists {
  readonly UNARY_OPS: readonly string[];
  readonly BINARY_OPS: readonly string[];
  readonly REDUCE_OPS: readonly string[];
  readonly ARG_REDUCE_OPS: readonly string[];
  readonly ACTIVATIONS: readonly string[];
}
export const OP_CODES_FILE: string;
export function renderOpCodes(lists: OpCodeLists): string;
export function readLists(): Promise<OpCodeLists>;
