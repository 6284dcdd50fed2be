/**
 * Shape helpers for strided kernels: contiguous and broadcast strides, and coalescing of an
 * iteration (dims + one stride set per operand) into the fewest dims that walk the same
 * elements in the same order.
 */

/** Row-major strides of a contiguous shape. */
export function contiguousStrides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    s[d] = acc;
    acc *= shape[d]!;
  }
  return s;
}

/** Strides reading `shape` broadcast to `out` (0 along broadcast or missing dims). */
export function broadcastStridesTo(shape: readonly number[], out: readonly number[]): number[] {
  const own = contiguousStrides(shape);
  const lead = out.length - shape.length;
  return out.map((_, d) => {
    const i = d - lead;
    return i < 0 || shape[i] === 1 ? 0 : own[i]!;
  });
}

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
