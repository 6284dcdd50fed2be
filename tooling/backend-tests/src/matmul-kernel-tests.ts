/**
 * The `matmul` kernel tests every backend's own suite declares (inside its describe block):
 * every transpose of `MATMUL_SHAPES` and the backend's extra shapes, equal and broadcast
 * batches, float64, empty operands and the op-level entry points, each against `naiveMatmul`.
 */
import { expect, it } from 'vitest';
import { batchMatmul, matmul, runKernel, tensor } from '@mapnn/core';
import { expectMatmulMatchesNaive as check, MATMUL_SHAPES, seededData } from './testing.js';

/** The arguments of one `expectMatmulMatchesNaive` call. */
export type MatmulCheck = Parameters<typeof check>;

export interface MatmulKernelTestExtras {
  /** more [m, k, n] shapes (e.g. around the backend's tile and block sizes) */
  shapes?: readonly (readonly [number, number, number])[];
  /** more equal-batch checks */
  batched?: readonly MatmulCheck[];
  /** more float64 checks */
  float64?: readonly MatmulCheck[];
}

const TRANSPOSES = [[false, false], [true, false], [false, true], [true, true]] as const;

/** Declares the shared `matmul` kernel tests for the active backend. */
export function matmulKernelTests(extras: MatmulKernelTestExtras = {}): void {
  for (const [m, k, n] of [...MATMUL_SHAPES, ...(extras.shapes ?? [])]) {
    for (const [transA, transB] of TRANSPOSES) {
      it(`${m}×${k}×${n} transA=${transA} transB=${transB}`, () => check(1, 1, m, k, n, transA, transB));
    }
  }

  it('batched, equal batches', () => {
    check(3, 3, 7, 13, 5);
    check(3, 3, 65, 33, 129, true, true);
    for (const c of extras.batched ?? []) check(...c);
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
    for (const c of extras.float64 ?? []) check(...c);
  });

  it('k = 0 gives zeros; empty m or n gives empty output', () => {
    const y = runKernel('matmul', [tensor(new Float32Array(0), [2, 3, 0]), tensor(new Float32Array(0), [1, 0, 4])], {});
    expect(y.shape).toEqual([2, 3, 4]);
    expect(Array.from(y.dataSync())).toEqual(new Array(24).fill(0));
    const e = runKernel('matmul', [tensor(new Float32Array(0), [1, 0, 5]), tensor(new Float32Array(15), [1, 5, 3])], {});
    expect(e.shape).toEqual([1, 0, 3]);
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
}
