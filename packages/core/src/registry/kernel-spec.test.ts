import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as core from '../index.js';
import { FLOAT_ONLY_KERNELS, OPTIONAL_KERNELS, PRIMITIVE_KERNELS } from './contract.js';
import { checkArity, KERNEL_NAMES, KERNELS } from './kernel-spec.js';

describe('the kernel spec table', () => {
  it('splits into the primitives and the fast paths', () => {
    expect([...PRIMITIVE_KERNELS, ...OPTIONAL_KERNELS].sort()).toEqual([...KERNEL_NAMES].sort());
    expect(PRIMITIVE_KERNELS).toContain('scatterAdd');
    expect(OPTIONAL_KERNELS).toEqual(['matmul', 'fusedMatmul', 'unfold2d', 'fold2d', 'conv2d', 'fusedConv2d', 'conv2dBackpropInput', 'conv2dBackpropFilter', 'maxPool2d', 'maxPool2dGrad', 'sigmoid', 'adamStep', 'quantizeLinear', 'dequantizeLinear', 'qlinearMatmul', 'qlinearConv2d', 'maxPool2dInt8']);
  });

  it('names, for each fast path, the core op that composes it', () => {
    for (const k of OPTIONAL_KERNELS) {
      const by = KERNELS[k].composedBy;
      expect(typeof (core as Record<string, unknown>)[by ?? ''], `${k} composed by ${by}`).toBe('function');
    }
  });

  it('derives the float-only set from the dtypes', () => {
    expect(FLOAT_ONLY_KERNELS).toContain('exp');
    expect(FLOAT_ONLY_KERNELS).toContain('sigmoid');
    expect(FLOAT_ONLY_KERNELS).not.toContain('neg');
    expect(FLOAT_ONLY_KERNELS).not.toContain('cast');
  });

  it('checks the input count against the arity', () => {
    expect(() => checkArity('where', 3)).not.toThrow();
    expect(() => checkArity('where', 2)).toThrow("Kernel 'where' takes 3 inputs, got 2");
    expect(() => checkArity('concat', 7)).not.toThrow();
  });

  it('is described by docs/kernels-and-ops.md, every kernel in its tables', () => {
    const doc = readFileSync(new URL('../../../../docs/kernels-and-ops.md', import.meta.url), 'utf8');
    const named = new Set([...doc.matchAll(/^\| `([^`]+)`/gm)].flatMap((m) => m[1]!.split(' ')));
    expect(KERNEL_NAMES.filter((k) => !named.has(k))).toEqual([]);
    expect(doc).toContain('## Writing a backend');
  });
});
