import { describe, expect, it } from 'vitest';
import { batchMatmul, matmul, runKernel, setBackend, tensor } from '@mapnn/core';
import { expectMatmulMatchesNaive, MATMUL_SHAPES, seededData } from '@mapnn/backend-tests';
import '../index.js';

setBackend('cpu');

const check = expectMatmulMatchesNaive;

describe('cpu matmul kernel vs naive float64 reference', () => {
  for (const [m, k, n] of MATMUL_SHAPES) {
    for (const [transA, transB] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      it(`${m}×${k}×${n} transA=${transA} transB=${transB}`, () => check(1, 1, m, k, n, transA, transB));
    }
  }

  it('batched, equal batches', () => {
    check(3, 3, 7, 13, 5);
    check(3, 3, 65, 33, 129, true, true);
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
  });

  it('k = 0 gives zeros; empty m or n gives empty output', () => {
    const y = runKernel('matmul', [tensor(new Float32Array(0), [2, 3, 0]), tensor(new Float32Array(0), [1, 0, 4])], {});
    expect(y.shape).toEqual([2, 3, 4]);
    expect(Array.from(y.dataSync())).toEqual(new Array(24).fill(0));
    const e = runKernel('matmul', [tensor(new Float32Array(0), [1, 0, 5]), tensor(new Float32Array(15), [1, 5, 3])], {});
    expect(e.shape).toEqual([1, 0, 3]);
  });

  it('propagates NaN and Infinity like the naive product', () => {
    const a = tensor(new Float32Array([0, 1, NaN, 2, 0, 0, Infinity, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]), [1, 5, 4]);
    const b = tensor(new Float32Array(4 * 6).fill(1), [1, 4, 6]);
    const y = Array.from(runKernel('matmul', [a, b], {}).dataSync());
    expect(y.slice(0, 6).every(Number.isNaN)).toBe(true);
    expect(y.slice(6, 12).every((v) => v === Infinity)).toBe(true);
    expect(y.slice(12)).toEqual(new Array(18).fill(4));
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
