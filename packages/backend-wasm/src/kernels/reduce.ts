/**
 * Reductions over sorted axes and argmax/argmin. Adjacent dims of the same kind (kept or
 * reduced) are merged, which turns most reductions into [lead, outer, m, inner] reducing lead
 * and m (e.g. [N, C, H·W] → [C]); other axis patterns pass explicit base/offset tables.
 */
import { sizeOf } from '@mapnn/core/backend';
import { DTYPE_CODE } from '../dtype-codes.js';
import { ARG_REDUCE_OPS, REDUCE_OPS, opCode, type ArgReduceOp, type ReduceOp } from './op-codes.js';
import { contiguousStrides } from './plan.js';
import type { WasmKernel, WasmKernels } from './register.js';

interface Group {
  size: number;
  reduced: boolean;
}

/** Dims of size > 1 merged into alternating kept / reduced groups. */
function groups(shape: readonly number[], axes: readonly number[]): Group[] {
  const out: Group[] = [];
  shape.forEach((n, d) => {
    if (n === 1) return;
    const reduced = axes.includes(d);
    const last = out[out.length - 1];
    if (last && last.reduced === reduced) last.size *= n;
    else out.push({ size: n, reduced });
  });
  return out;
}

/** Base offset of every output and offset of every reduced element, for scattered axes. */
function tables(gs: readonly Group[]): { bases: number[]; offsets: number[] } {
  const strides = contiguousStrides(gs.map((g) => g.size));
  let bases = [0];
  let offsets = [0];
  gs.forEach((g, i) => {
    const next: number[] = [];
    const src = g.reduced ? offsets : bases;
    for (const o of src) for (let j = 0; j < g.size; j++) next.push(o + j * strides[i]!);
    if (g.reduced) offsets = next;
    else bases = next;
  });
  return { bases, offsets };
}

/** The kernel of reduction `op`: the module's `reduce` export with the op's code. */
function reduceKernel(op: ReduceOp): WasmKernel<'sum'> { // all four take ReduceAttrs
  const code = opCode(REDUCE_OPS, op);
  return ([x], attrs, be) => {
    const axes = attrs.axes;
    const shape = x!.shape;
    const outShape = shape.filter((_, d) => !axes.includes(d));
    const out = be.alloc(outShape, x!.dtype);
    const nOut = sizeOf(outShape);
    if (nOut === 0) return be.output(out, outShape, x!.dtype);
    const n = sizeOf(shape);
    const dt = DTYPE_CODE[x!.dtype];
    const gs = n === 0 ? [] : groups(shape, axes);
    let lead = 1;
    let outer = 1;
    let m = n === 0 ? 0 : 1;
    let inner = 1;
    const kinds = gs.map((g) => (g.reduced ? 'r' : 'k')).join('');
    const size = (i: number): number => gs[i]!.size;
    if (n === 0) outer = nOut;
    else if (kinds === 'k') outer = size(0);
    else if (kinds === 'r') m = size(0);
    else if (kinds === 'kr') [outer, m] = [size(0), size(1)];
    else if (kinds === 'rk') [m, inner] = [size(0), size(1)];
    else if (kinds === 'krk') [outer, m, inner] = [size(0), size(1), size(2)];
    else if (kinds === 'rkr') [lead, outer, m] = [size(0), size(1), size(2)];
    else if (kinds === 'rkrk') [lead, outer, m, inner] = [size(0), size(1), size(2), size(3)];
    else if (kinds !== '') {
      const t = tables(gs);
      const bases = be.ints(t.bases);
      const offsets = be.ints(t.offsets);
      be.run('reduce', [code, dt, be.ptr(x!), out.ptr, 0, t.offsets.length, 1, bases, offsets, t.bases.length, 1], n);
      return be.output(out, outShape, x!.dtype);
    }
    be.run('reduce', [code, dt, be.ptr(x!), out.ptr, outer, m, inner, 0, 0, nOut, lead], n);
    return be.output(out, outShape, x!.dtype);
  };
}

/** The kernel of `argmax` / `argmin`: the module's `argReduce` export with the op's code. */
function argReduceKernel(op: ArgReduceOp): WasmKernel<'argmax'> { // both take AxisAttrs
  const code = opCode(ARG_REDUCE_OPS, op);
  return ([x], attrs, be) => {
    const axis = attrs.axis;
    const shape = x!.shape;
    const outShape = shape.filter((_, d) => d !== axis);
    const out = be.alloc(outShape, 'int64');
    const nOut = sizeOf(outShape);
    if (nOut === 0) return be.output(out, outShape, 'int64');
    const outer = sizeOf(shape.slice(0, axis));
    const m = shape.length ? shape[axis]! : 1;
    const inner = sizeOf(shape.slice(axis + 1));
    be.run('argReduce', [code, DTYPE_CODE[x!.dtype], be.ptr(x!), out.ptr, outer, m, inner], nOut * m);
    return be.output(out, outShape, 'int64');
  };
}

export const reduceKernels = {
  sum: reduceKernel('sum'), prod: reduceKernel('prod'), max: reduceKernel('max'), min: reduceKernel('min'),
  argmax: argReduceKernel('argmax'), argmin: argReduceKernel('argmin'),
} satisfies WasmKernels;
