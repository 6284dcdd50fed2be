import { describe, expect, it } from 'vitest';
import { runKernel, setBackend, tensor } from '@mapnn/core';
import { matmulKernelTests } from '@mapnn/backend-tests';
import '../index.js';

setBackend('cpu');

describe('cpu matmul kernel vs naive float64 reference', () => {
  matmulKernelTests();

  it('propagates NaN and Infinity like the naive product', () => {
    const a = tensor(new Float32Array([0, 1, NaN, 2, 0, 0, Infinity, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]), [1, 5, 4]);
    const b = tensor(new Float32Array(4 * 6).fill(1), [1, 4, 6]);
    const y = Array.from(runKernel('matmul', [a, b], {}).dataSync());
    expect(y.slice(0, 6).every(Number.isNaN)).toBe(true);
    expect(y.slice(6, 12).every((v) => v === Infinity)).toBe(true);
    expect(y.slice(12)).toEqual(new Array(18).fill(4));
  });
});
