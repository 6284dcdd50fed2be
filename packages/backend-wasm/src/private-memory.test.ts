import { beforeAll, describe, expect, it } from 'vitest';
import { getKernel, setBackendAsync, type DType, type KernelAttrs, type TensorInfo } from '@mapnn/core';
import { WasmBackend } from './index.js';
import { kernelBytes, withUnsharedMemory } from './wasm-binary.js';

/** Runs the registered wasm kernel `op` on a given backend instance. */
function run(be: WasmBackend, op: string, inputs: TensorInfo[], attrs: KernelAttrs = {}): TensorInfo {
  return getKernel(op, 'wasm')!.fn(inputs, attrs, { backend: be }) as TensorInfo;
}
function make(be: WasmBackend, values: number[] | Float32Array, shape: number[], dtype: DType = 'float32'): TensorInfo {
  const data = dtype === 'int32' ? Int32Array.from(values) : Float32Array.from(values);
  return { dataId: be.write(data, dtype), shape, dtype };
}

describe('private (unshared) memory', () => {
  beforeAll(async () => {
    await setBackendAsync('wasm'); // registers nothing new; makes sure the kernels are loaded
  });

  it('the loader clears only the shared flag of the memory import', () => {
    const shared = kernelBytes();
    const plain = withUnsharedMemory(shared);
    const diff = [...shared].flatMap((b, i) => (b !== plain[i] ? [[i, b, plain[i]]] : []));
    expect(diff).toEqual([[diff[0]![0], 0x03, 0x01]]);
    expect(WebAssembly.validate(plain as BufferSource)).toBe(true);
  });

  it('computes single-threaded and survives memory growth (views refreshed after detaching)', async () => {
    const be = await WasmBackend.create({ sharedMemory: false, initialMemoryBytes: 1 << 20 });
    try {
      expect(be.shared).toBe(false);
      expect(be.threadCount).toBe(1);
      const before = be.memory().wasmMemoryBytes as number;
      const a = make(be, [1, 2, 3, 4, 5, 6], [2, 3]);
      const idx = make(be, [2, 0, 2, 1], [4], 'int32');
      // indexSelect reads its indices, then allocates: the first allocation grows the memory
      const big = make(be, new Float32Array(3 << 20).fill(1), [3 << 20]);
      const sel = run(be, 'indexSelect', [a, idx], { axis: 1 });
      expect(Array.from(be.readSync(sel.dataId))).toEqual([3, 1, 3, 2, 6, 4, 6, 5]);
      expect(be.memory().wasmMemoryBytes as number).toBeGreaterThan(before);
      const s = run(be, 'sum', [big], { axes: [0] });
      expect(Array.from(be.readSync(s.dataId))).toEqual([3 << 20]);
      const m = run(be, 'matmul', [{ ...a, shape: [1, 2, 3] }, { ...a, shape: [1, 3, 2] }], {});
      expect(Array.from(be.readSync(m.dataId))).toEqual([22, 28, 49, 64]);
      // matmul's and conv2d's work counters are atomics: valid on the unshared memory too
      const img = make(be, Array.from({ length: 16 }, (_, i) => i), [1, 1, 4, 4]);
      const ones = make(be, new Float32Array(9).fill(1), [1, 1, 3, 3]);
      const c = run(be, 'conv2d', [img, ones], { stride: 1, pads: [1, 1, 1, 1], dilation: 1, groups: 1 });
      const cv = be.readSync(c.dataId);
      expect([cv[0], cv[5], cv[15]]).toEqual([0 + 1 + 4 + 5, 0 + 1 + 2 + 4 + 5 + 6 + 8 + 9 + 10, 10 + 11 + 14 + 15]);
      for (const t of [a, idx, big, sel, s, m, img, ones, c]) be.disposeData(t.dataId);
      expect(be.memory()).toMatchObject({ numBuffers: 0, numBytes: 0 });
    } finally {
      be.dispose();
    }
  });
});
