/**
 * Shape helpers for strided kernels: contiguous and broadcast strides, and coalescing of an
 * iteration (dims + one stride set per operand) into the fewest dims that walk the same
 * elements in the same order.
 */

// Contiguous and broadcast strides are core's shape helpers (one owner), under the names the
// kernels use. (Core's broadcast strides keep the stride of a size-1 dim that stays size 1;
// `coalesce` drops size-1 dims, so the iteration is the same.)
export { broadcastStrides as broadcastStridesTo, stridesOf as contiguousStrides } from '@mapnn/core/backend';

export interface Iteration {
  dims: number[];
  strides: number[][];
}

/**
 * Drops size-1 dims and merges neighbours that every operand walks contiguously
 * (stride[d] = stride[d+1] · dims[d+1]). An empty result becomes one dim of size 1.
 */
export function coalesce(dims: readonly number[], strides: readonly (readonly number[])[]): Iteration {
  const outDims: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let d = 0; d < dims.length; d++) {
    const n = dims[d]!;
    if (n === 1) continue;
    const last = outDims.length - 1;
    if (last >= 0 && strides.every((s, k) => outStrides[k]![last] === s[d]! * n)) {
      outDims[last] *= n;
      strides.forEach((s, k) => (outStrides[k]![last] = s[d]!));
    } else {
      outDims.push(n);
      strides.forEach((s, k) => outStrides[k]!.push(s[d]!));
    }
  }
  if (!outDims.length) return { dims: [1], strides: strides.map(() => [0]) };
  return { dims: outDims, strides: outStrides };
}
