// CPU kernels: reductions (sum, prod, max, min over sorted axes; argmax, argmin over one axis).
//
// The input is viewed as alternating groups of kept and reduced dims (dims of size 1 dropped,
// adjacent dims of the same kind merged, which a contiguous input allows). Two layouts follow:
// - the last group is reduced: each output is a fold over contiguous blocks (`block`);
// - the last group is kept: each run of outputs that is contiguous in the input is accumulated
//   row by row (`rows`), a tight loop over contiguous memory, into a float64 buffer (sum, prod)
//   or a buffer of the input's storage (max, min: exact there, and selected without branches).
// Either way every output folds its inputs in the row-major order of the reduced dims, sums and
// products in float64, and is stored once, as a plain loop over the elements would. The per-op loops are in
// reduce-loops.ts (own literals per op and storage family, so V8 compiles them monomorphic).
import { stridesOf } from '@mapnn/core/backend';
import { CHUNK, familyOf, wordsOf } from './elementwise-loops.js';
import { ARG_LOOPS, FOLD_LOOPS, REDUCE_INIT, SELECT_REDUCE_LOOPS } from './reduce-loops.js';
import type { CpuKernel, CpuKernels } from './register.js';

interface Group {
  size: number;
  stride: number;
  reduced: boolean;
}

/** The dims > 1 of a contiguous `shape` as maximal runs of kept or reduced dims. */
function groupsOf(shape: readonly number[], axes: readonly number[]): Group[] {
  const strides = stridesOf(shape);
  const gs: Group[] = [];
  for (let d = 0; d < shape.length; d++) {
    const size = shape[d]!;
    if (size === 1) continue;
    const reduced = axes.includes(d);
    const last = gs[gs.length - 1];
    if (last && last.reduced === reduced) {
      last.size *= size;
      last.stride = strides[d]!;
    } else gs.push({ size, stride: strides[d]!, reduced });
  }
  return gs;
}

/** The offsets of every multi-index of `gs` in row-major order ([0] for none). */
function offsets(gs: readonly Group[]): Int32Array {
  let t = new Int32Array(1);
  for (const g of gs) {
    const next = new Int32Array(t.length * g.size);
    let k = 0;
    for (let i = 0; i < t.length; i++) for (let j = 0, o = t[i]!; j < g.size; j++, o += g.stride) next[k++] = o;
    t = next;
  }
  return t;
}

function reduceKernel(op: 'sum' | 'prod' | 'max' | 'min'): CpuKernel<'sum'> { // all four take ReduceAttrs
  const init = REDUCE_INIT[op]!;
  const fold = op === 'sum' || op === 'prod' ? FOLD_LOOPS[op] : undefined;
  const select = op === 'max' || op === 'min' ? SELECT_REDUCE_LOOPS[op] : undefined;
  return ([x], attrs, be) => {
    const axes = attrs.axes;
    const shape = x!.shape;
    const a = be.get(x!.dataId);
    const family = familyOf(a);
    const outShape = shape.filter((_, i) => !axes.includes(i));
    const out = be.alloc(outShape, x!.dtype);
    if (out.length === 0) return be.output(out, outShape, x!.dtype);
    if (a.length === 0) {
      // an empty reduced dim: every output is the identity (converted to the dtype)
      out.fill(init);
      return be.output(out, outShape, x!.dtype);
    }
    const gs = groupsOf(shape, axes);
    const last = gs[gs.length - 1];
    if (last?.reduced) {
      // trailing reduced block of `n` contiguous elements
      const r = (fold ?? select)![family];
      const n = last.size;
      const head = gs.slice(0, -1);
      const bases = offsets(head.filter((g) => !g.reduced));
      const red = offsets(head.filter((g) => g.reduced));
      const m = red.length;
      for (let o = 0; o < bases.length; o++) {
        const base = bases[o]!;
        let acc = init;
        for (let j = 0; j < m; j++) {
          const from = base + red[j]!;
          for (let k = 0; k < n; k += CHUNK) acc = r.block(acc, a, from + k, Math.min(CHUNK, n - k));
        }
        out[o] = acc;
      }
      return be.output(out, outShape, x!.dtype);
    }
    // trailing kept block of `n` outputs, contiguous in the input too: accumulate rows, in
    // column chunks of at most CHUNK (the accumulator stays in cache)
    const n = last ? last.size : 1;
    const head = last ? gs.slice(0, -1) : gs;
    const bases = offsets(head.filter((g) => !g.reduced));
    const red = offsets(head.filter((g) => g.reduced));
    const m = red.length;
    const w = Math.min(n, CHUNK);
    if (fold) {
      const r = fold[family];
      const acc = new Float64Array(w);
      for (let o = 0; o < bases.length; o++) {
        for (let k = 0; k < n; k += w) {
          const len = Math.min(w, n - k);
          const base = bases[o]! + k;
          acc.fill(init);
          for (let j = 0; j < m; j++) r.rows(acc, a, base + red[j]!, len);
          out.set(len === w ? acc : acc.subarray(0, len), o * n + k);
        }
      }
    } else {
      // max/min are exact in the input's storage: start from the first row, select the rest
      const r = select![family];
      const acc = a.slice(0, w); // a scratch row of the input's storage kind (overwritten below)
      const accW = wordsOf(acc)!.w;
      const aw = wordsOf(a)!.w;
      for (let o = 0; o < bases.length; o++) {
        for (let k = 0; k < n; k += w) {
          const len = Math.min(w, n - k);
          const base = bases[o]! + k;
          acc.set(a.subarray(base + red[0]!, base + red[0]! + len));
          for (let j = 1; j < m; j++) r.rows(acc, accW, a, aw, base + red[j]!, len);
          out.set(len === w ? acc : acc.subarray(0, len), o * n + k);
        }
      }
    }
    return be.output(out, outShape, x!.dtype);
  };
}

// ---------------------------------------------------------------- argmax / argmin

function argKernel(op: 'argmax' | 'argmin'): CpuKernel<'argmax'> { // both take AxisAttrs
  const loops = ARG_LOOPS[op];
  return ([x], attrs, be) => {
    const axis = attrs.axis;
    const shape = x!.shape;
    const a = be.get(x!.dataId);
    const r = loops[familyOf(a)];
    const outShape = shape.filter((_, i) => i !== axis);
    const out = be.alloc(outShape, 'int64');
    const m = shape[axis] ?? 0;
    // an empty axis gives index 0 everywhere
    if (out.length === 0 || m === 0) return be.output(out, outShape, 'int64');
    let outer = 1;
    for (let d = 0; d < axis; d++) outer *= shape[d]!;
    const inner = out.length / outer;
    if (inner === 1) {
      for (let o = 0; o < outer; o++) out[o] = r.block(a, o * m, m);
    } else {
      // running bests in the input's storage (exact), row by row over the axis
      const w = Math.min(inner, CHUNK);
      const best = a.slice(0, w); // a scratch row of the input's storage kind (overwritten below)
      const bestW = wordsOf(best)!.w;
      const aw = wordsOf(a)!.w;
      for (let o = 0; o < outer; o++) {
        for (let k = 0; k < inner; k += w) {
          const len = Math.min(w, inner - k);
          const base = o * m * inner + k;
          best.set(a.subarray(base, base + len));
          for (let j = 1; j < m; j++) r.rows(best, bestW, out, o * inner + k, a, aw, base + j * inner, j, len);
        }
      }
    }
    return be.output(out, outShape, 'int64');
  };
}

/** The reduction kernels of the cpu backend. */
export const reduceKernels = {
  sum: reduceKernel('sum'),
  prod: reduceKernel('prod'),
  max: reduceKernel('max'),
  min: reduceKernel('min'),
  argmax: argKernel('argmax'),
  argmin: argKernel('argmin'),
} satisfies CpuKernels;
