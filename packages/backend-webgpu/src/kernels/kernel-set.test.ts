// The webgpu kernel set against core's spec table: every primitive registered, each kernel for
// the table's dtypes plus float16, and (at compile time, in the lint) attrs typed by the table.
// Registration only: no adapter needed.
import { describe, expect, it } from 'vitest';
import { floatOnlyKernels, getKernel, isFastKernel, isKernelName, missingPrimitives } from '@mapnn/core/backend';
import { webgpuKernels } from './kernel-set.js';
import { gpuKernel } from './register.js';
import './index.js';

const ALL_DTYPES = ['float32', 'float64', 'float16', 'int32', 'int64', 'int8', 'uint8', 'bool'];

describe('webgpu kernel set', () => {
  it('registers every primitive of the spec table', () => {
    expect(missingPrimitives('webgpu')).toEqual([]);
  });

  it('registers the fast paths it implements, and only kernels of the table', () => {
    const names = Object.keys(webgpuKernels);
    expect(names.filter((k) => !isKernelName(k))).toEqual([]);
    expect(names.filter(isFastKernel).sort()).toEqual(['conv2d', 'fold2d', 'matmul', 'sigmoid', 'unfold2d']);
  });

  it('registers each kernel for the table dtypes plus float16: floats for float-only kernels, every dtype for the rest', () => {
    const floatOnly = new Set<string>(floatOnlyKernels());
    for (const op of Object.keys(webgpuKernels)) {
      const want = floatOnly.has(op) ? ['float32', 'float64', 'float16'] : ALL_DTYPES;
      expect([...(getKernel(op, 'webgpu')?.dtypes ?? [])].sort(), op).toEqual([...want].sort());
    }
  });
});

// Compile-time checks (run by `tsc` in the package's lint; never called). Each
// `@ts-expect-error` fails the lint when its line stops being an error.
export function typeChecks(): void {
  // @ts-expect-error a misspelt attribute name (`gather` takes `axis`)
  gpuKernel('gather', ([x], attrs) => (attrs.axes, x!));
  // @ts-expect-error a wrong attribute type: `perm` is a list of numbers
  gpuKernel('transpose', ([x], attrs) => (attrs.perm.toUpperCase(), x!));
  // @ts-expect-error a kernel that is not in the spec table
  gpuKernel('expp', ([x]) => x!);
  gpuKernel('cast', ([x], attrs) => (attrs.dtype satisfies string, x!)); // typed attrs
}
