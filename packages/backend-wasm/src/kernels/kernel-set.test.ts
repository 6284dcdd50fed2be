import { KERNELS, KERNEL_NAMES, getKernel } from '@mapnn/core/backend';
import { describe, expect, it } from 'vitest';
import '../index.js';

describe('wasm kernel set', () => {
  it("registers every kernel of the spec table for exactly the table's dtypes", () => {
    for (const op of KERNEL_NAMES) expect(getKernel(op, 'wasm')?.dtypes, op).toEqual(KERNELS[op].dtypes);
  });

  it('registers the float-only kernels (exp, sigmoid, matmul, …) for float32 and float64 only', () => {
    for (const op of ['exp', 'sigmoid', 'matmul', 'adamStep'] as const) expect(getKernel(op, 'wasm')?.dtypes).toEqual(['float32', 'float64']);
    expect(getKernel('neg', 'wasm')?.dtypes).toContain('int32');
  });
});
