import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OP_CODES_FILE, readLists, renderOpCodes } from '../../scripts/gen-op-codes.mjs';
import * as lists from './op-codes.js';

describe('op codes', () => {
  it('assembly/op-codes.ts is generated from these lists (else run: pnpm --filter @mapnn/backend-wasm gen)', () => {
    expect(readFileSync(OP_CODES_FILE, 'utf8')).toBe(renderOpCodes(lists));
  });

  it('the generator reads the lists this module exports', async () => {
    const read = await readLists();
    for (const name of ['UNARY_OPS', 'BINARY_OPS', 'REDUCE_OPS', 'ARG_REDUCE_OPS', 'ACTIVATIONS'] as const) expect(read[name]).toEqual(lists[name]);
  });

  it('gives each op of an export its own code', () => {
    for (const ops of [lists.UNARY_OPS, lists.BINARY_OPS, lists.REDUCE_OPS, lists.ARG_REDUCE_OPS, lists.ACTIVATIONS]) {
      expect(new Set(ops).size).toBe(ops.length);
    }
  });

  it('binary codes from eq on are the comparisons and logical ops', () => {
    expect(lists.BINARY_OPS.slice(lists.FIRST_BOOL_BINARY)).toEqual(['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'logicalAnd', 'logicalOr', 'logicalXor']);
  });

  it('names the op of an unknown activation', () => {
    expect(lists.activationCode('fusedMatmul', 'relu')).toBe(1);
    expect(lists.activationCode('fusedMatmul', undefined)).toBe(0);
    // @ts-expect-error: not a KernelActivation (a JS caller may still pass one)
    expect(() => lists.activationCode('fusedMatmul', 'gelu')).toThrow(/fusedMatmul \(wasm\): unknown activation 'gelu'/);
  });
});
