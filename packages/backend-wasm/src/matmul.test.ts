import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchMatmul, matmul, runKernel, setBackendAsync, tensor } from '@mapnn/core';
import { expectMatmulMatchesNaive, MATMUL_SHAPES, seededData } from '@mapnn/backend-tests';
import { setWasmParallelThreshold, setWasmThreads } from './index.js';

const check = expectMatmulMatchesNaive;

// awkward shapes: below and above the micro-tile (4×8), the packing blocks (MC 128, KC 256) and
// the small-product cut-off, with every transpose combination
const shapes = [...MATMUL_SHAPES, [3, 1000, 3], [1, 700, 300]] as const;

for (const threads of [1, 4]) {
  describe(`wasm matmul vs naive float64 reference (${threads} thread${threads > 1 ? 's' : ''})`, () => {
    beforeAll(async () => {
      await setBackendAsync('wasm');
      await setWasmThreads(threads);
      setWasmParallelThreshold(0); // split even small products when threaded
    });
    afterAll(() => setWasmParallelThreshold(131072));

    for (const [m, k, n] of shapes) {
      for (const [transA, transB] of [[false, false], [true, false], [false, true], [true, true]] as const) {
        it(`${m}×${k}×${n} transA=${transA} transB=${transB}`, () => check(1, 1, m, k, n, transA, transB));
      }
    }

    it('batched, equal batches', () => {
      check(3, 3, 7, 13, 5);
      check(3, 3, 65, 33, 129, true, true);
      check(7, 7, 20, 30, 40);
    });

    it('batched, broadcast batch 1 on either side', () => {
      check(1, 4, 65, 33, 129);
      check(4, 1, 65, 33, 129);
      check(1, 3, 9, 40, 17, true, false);
      check(5, 1, 9, 40, 17, false, true);
      check(1, 2, 64, 288, 784); // conv-like: shared weights × per-image columns
    });

    it('float64 at double precision', () => {
      check(1, 1, 65, 33, 129, false, false, 'float64');
      check(2, 1, 37, 300, 41, true, true, 'float64');
      check(1, 1, 3, 5, 2, false, true, 'float64');
      check(1, 1, 130, 140, 150, true, false, 'float64');
    });

    it('k = 0 gives zeros; empty m or n gives empty output', () => {
      const y = runKernel('matmul', [tensor(new Float32Array(0), [2, 3, 0]), tensor(new Float32Array(0), [1, 0, 4])], {});
      expect(y.shape).toEqual([2, 3, 4]);
      expect(Array.from(y.dataSync())).toEqual(new Array(24).fill(0));
      const e = runKernel('matmul', [tensor(new Float32Array(0), [1, 0, 5]), tensor(new Float32Array(15), [1, 5, 3])], {});
      expect(e.shape).toEqual([1, 0, 3]);
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

    it('is reached through matmul / batchMatmul ops', () => {
      const a = tensor([[1, 2, 3], [4, 5, 6]]);
      const b = tensor([[1, 0], [0, 1], [1, 1]]);
      expect(matmul(a, b).arraySync()).toEqual([[4, 5], [10, 11]]);
      const x = tensor(Float32Array.from(seededData(2 * 6 * 10, 9)), [2, 6, 10]);
      const w = tensor(Float32Array.from(seededData(10 * 8, 10)), [1, 8, 10]);
      const y = batchMatmul(x, w, false, true);
      expect(y.shape).toEqual([2, 6, 8]);
    });
  });
}
