// Kernel utilities: the operand dims of the batched `matmul` kernel.
import type { KernelAttrs } from '../backend.js';
import type { Shape } from '../shape.js';

/**
 * Dims of one `matmul` kernel call, c[t] (m×n) = A[t]·B[t] for t < batch, with the operand
 * layout as strides: A(i, p) = a[t·m·k + i·ars + p·acs], B(p, j) = b[t·k·n + p·brs + j·bcs]
 * (the batch offset is 0 for an operand whose batch size is 1).
 */
export interface MatmulDims {
  transA: boolean;
  transB: boolean;
  /** Batch sizes of A and B (1: broadcast over the batch). */
  ba: number;
  bb: number;
  batch: number;
  m: number;
  k: number;
  n: number;
  ars: number;
  acs: number;
  brs: number;
  bcs: number;
}

/**
 * The dims of `matmul` of a [ba, m, k] (or [ba, k, m] with `transA`) and b [bb, k, n] (or
 * [bb, n, k] with `transB`); ba and bb are equal or 1, as core's op guarantees.
 */
export function matmulDims(aShape: Shape, bShape: Shape, attrs: KernelAttrs): MatmulDims {
  const transA = !!attrs.transA;
  const transB = !!attrs.transB;
  const [ba, a1, a2] = aShape as [number, number, number];
  const [bb, b1, b2] = bShape as [number, number, number];
  const m = transA ? a2 : a1;
  const k = transA ? a1 : a2;
  const n = transB ? b1 : b2;
  const batch = Math.max(ba, bb);
  return {
    transA,
    transB,
    ba,
    bb,
    batch,
    m,
    k,
    n,
    ars: transA ? 1 : k,
    acs: transA ? m : 1,
    brs: transB ? 1 : n,
    bcs: transB ? k : 1,
  };
}
