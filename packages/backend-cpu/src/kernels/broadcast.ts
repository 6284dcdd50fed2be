// Row iteration for broadcasting kernels.
//
// A broadcast of inputs to an output shape is reduced to as few dims as possible: dims of size 1
// are dropped and adjacent dims are merged when every input reads them as one run (its stride
// on the outer dim equals stride × size of the inner one; broadcast dims have stride 0, so two
// adjacent broadcast dims merge too). The innermost merged dim is a *row*: kernels call a
// per-op row function on it, with one stride per input (usually 1 or 0), so the per-element work
// is a tight monomorphic loop and the multi-index bookkeeping happens once per row.
// E.g. [64,32,26,26] + [1,32,1,1] becomes 2048 rows of 676 with the second operand at stride 0.
import { broadcastStrides, type Shape } from '@mapnn/core';

export interface RowPlan {
  /** Elements per row (the innermost merged dim; 1 for an output with no dims > 1). */
  n: number;
  /** Per input, the stride along a row. */
  inner: number[];
  /** The merged outer dims (each > 1), outermost first. */
  dims: number[];
  /** Strides of the outer dims: index 0 is the output (row-major, in elements), then one per input. */
  strides: number[][];
}

/** The row plan of broadcasting `inShapes` to `outShape` (whose size must be > 0). */
export function rowPlan(outShape: Shape, inShapes: readonly Shape[]): RowPlan {
  const st = inShapes.map((s) => broadcastStrides(s, outShape));
  const dims: number[] = [];
  const cs: number[][] = inShapes.map(() => []);
  for (let d = 0; d < outShape.length; d++) {
    const size = outShape[d]!;
    if (size === 1) continue;
    const last = dims.length - 1;
    if (last >= 0 && st.every((s, k) => cs[k]![last] === s[d]! * size)) {
      dims[last]! *= size;
      for (let k = 0; k < st.length; k++) cs[k]![last] = st[k]![d]!;
    } else {
      dims.push(size);
      for (let k = 0; k < st.length; k++) cs[k]!.push(st[k]![d]!);
    }
  }
  if (dims.length === 0) return { n: 1, inner: inShapes.map(() => 0), dims, strides: [[], ...cs] };
  const n = dims.pop()!;
  const inner = cs.map((s) => s.pop()!);
  return { n, inner, dims, strides: [rowMajor(dims, n), ...cs] };
}

/** Row-major strides of `dims`, scaled by `unit` (the size of what each innermost index holds). */
export function rowMajor(dims: readonly number[], unit = 1): number[] {
  const s = new Array<number>(dims.length);
  let acc = unit;
  for (let d = dims.length - 1; d >= 0; d--) {
    s[d] = acc;
    acc *= dims[d]!;
  }
  return s;
}

const NONE: readonly number[] = [];

/**
 * Visits every multi-index of `dims` (row-major; once for no dims), calling `visit` with the
 * offsets Σ idx[d]·strides[k][d] for up to four stride sets (missing sets give 0).
 */
export function forEachIndex(
  dims: readonly number[],
  strides: readonly (readonly number[])[],
  visit: (p0: number, p1: number, p2: number, p3: number) => void,
): void {
  const r = dims.length;
  let count = 1;
  for (let d = 0; d < r; d++) count *= dims[d]!;
  if (count === 0) return;
  const zero = r ? new Array<number>(r).fill(0) : NONE;
  const s0 = strides[0] ?? zero;
  const s1 = strides[1] ?? zero;
  const s2 = strides[2] ?? zero;
  const s3 = strides[3] ?? zero;
  const idx = new Int32Array(r);
  let p0 = 0;
  let p1 = 0;
  let p2 = 0;
  let p3 = 0;
  for (let c = 0; c < count; c++) {
    visit(p0, p1, p2, p3);
    for (let d = r - 1; d >= 0; d--) {
      p0 += s0[d]!;
      p1 += s1[d]!;
      p2 += s2[d]!;
      p3 += s3[d]!;
      if (++idx[d]! < dims[d]!) break;
      const m = dims[d]!;
      p0 -= s0[d]! * m;
      p1 -= s1[d]! * m;
      p2 -= s2[d]! * m;
      p3 -= s3[d]! * m;
      idx[d] = 0;
    }
  }
}
