import { describe, expect, it } from 'vitest';
import { KERNEL_NAMES, kernelExports } from './kernel-exports.js';
import { instantiate, kernelModule, createMemory } from './wasm-module.js';

const noop = () => {};
const complete = (): WebAssembly.Exports =>
  Object.fromEntries(['init', 'heapBase', 'gemmScratchBytes', ...KERNEL_NAMES].map((n) => [n, noop]));

describe('kernelExports', () => {
  it("accepts the built kernel module's exports", async () => {
    const ex = await instantiate(await kernelModule(false), createMemory(false, 1 << 20, 1 << 24));
    expect(typeof ex.matmul).toBe('function');
    expect(ex.heapBase()).toBeGreaterThan(0);
  });

  it('names the exports a module lacks', () => {
    const { matmul: _m, init: _i, ...rest } = complete();
    expect(() => kernelExports(rest)).toThrow(/lacks the exports init, matmul/);
  });

  it('rejects an export that is not a function', () => {
    expect(() => kernelExports({ ...complete(), probe: new WebAssembly.Global({ value: 'i32' }, 0) })).toThrow(/lacks the exports probe/);
  });
});
