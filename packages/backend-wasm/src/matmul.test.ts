import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKernel, setBackendAsync, tensor } from '@mapnn/core';
import { matmulKernelTests } from '@mapnn/backend-tests';
import { setWasmParallelThreshold, setWasmThreads } from './index.js';

for (const threads of [1, 4]) {
  describe(`wasm matmul vs naive float64 reference (${threads} thread${threads > 1 ? 's' : ''})`, () => {
    beforeAll(async () => {
      await setBackendAsync('wasm');
      await setWasmThreads(threads);
      setWasmParallelThreshold(0); // split even small products when threaded
    });
    afterAll(() => setWasmParallelThreshold(131072));

    // extra shapes: around the micro-tile (4×8), the packing blocks (MC 128, KC 256) and the
    // small-product cut-off, with every transpose combination
    matmulKernelTests({
      shapes: [[3, 1000, 3], [1, 700, 300]],
      batched: [[7, 7, 20, 30, 40]],
      float64: [[1, 1, 130, 140, 150, true, false, 'float64']],
    });

    it('propagates NaN and Infinity like the naive product (small and packed paths)', () => {
      for (const rows of [5, 40]) {
        const av = new Float32Array(rows * 40).fill(1);
        av.fill(0, 0, 40);
        av[3] = NaN;
        av[40 + 7] = Infinity;
        const a = tensor(av, [1, rows, 40]);
        const b = tensor(new Float32Array(40 * 60).fill(1), [1, 40, 60]);
        const y = Array.from(runKernel('matmul', [a, b], {}).dataSync());
        expect(y.slice(0, 60).every(Number.isNaN)).toBe(true);
        expect(y.slice(60, 120).every((v) => v === Infinity)).toBe(true);
        expect(y.slice(120).every((v) => v === 40)).toBe(true);
      }
    });
  });
}
