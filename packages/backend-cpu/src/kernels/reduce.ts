import { type DType } from '@mapnn/core';
import { cpuKernel, NUMERIC } from './register.js';

/**
 * Reductions over a sorted axis list. The input is viewed as [outer…, reduced…] by iterating
 * output positions and, for each, the reduced sub-block through precomputed offsets.
 */
function reducePlan(shape: readonly number[], axes: readonly number[]) {
  const rank = shape.length;
  const strides: number[] = new Array(rank);
  let acc = 1;
  for (let i = rank - 1; i >= 0; i--) {
    strides[i] = acc;
    acc *= shape[i]!;
  }
  const keep = [...Array(rank).keys()].filter((i) => !axes.includes(i));
  const outShape = keep.map((i) => shape[i]!);
  // offsets of the reduced block relative to its base
  let offsets = [0];
  for (const ax of axes) {
    const next: number[] = [];
    for (const o of offsets) for (let j = 0; j < shape[ax]!; j++) next.push(o + j * strides[ax]!);
    offsets = next;
  }
  // base offsets of every output position
  let bases = [0];
  for (const k of keep) {
    const next: number[] = [];
    for (const b of bases) for (let j = 0; j < shape[k]!; j++) next.push(b + j * strides[k]!);
    bases = next;
  }
  return { outShape, offsets: Int32Array.from(offsets), bases: Int32Array.from(bases) };
}

function reduceKernel(op: string, init: number, step: (acc: number, v: number) => number, outDtype?: DType): void {
  cpuKernel(
    op,
    ([x], attrs, be) => {
      const axes = attrs.axes as number[];
      const a = be.get(x!.dataId);
      const { outShape, offsets, bases } = reducePlan(x!.shape, axes);
      const dt = outDtype ?? x!.dtype;
      const out = be.alloc(outShape, dt);
      const m = offsets.length;
      // fast path: reducing the trailing contiguous block
      const contiguous = m > 0 && offsets[m - 1] === m - 1;
      for (let o = 0; o < bases.length; o++) {
        const base = bases[o]!;
        let acc = init;
        if (contiguous) for (let j = 0; j < m; j++) acc = step(acc, a[base + j]!);
        else for (let j = 0; j < m; j++) acc = step(acc, a[base + offsets[j]!]!);
        out[o] = acc;
      }
      return be.output(out, outShape, dt);
    },
    NUMERIC,
  );
}

reduceKernel('sum', 0, (s, v) => s + v);
reduceKernel('prod', 1, (s, v) => s * v);
reduceKernel('max', -Infinity, (s, v) => (v > s || v !== v ? v : s));
reduceKernel('min', Infinity, (s, v) => (v < s || v !== v ? v : s));

function argKernel(op: string, better: (v: number, best: number) => boolean): void {
  cpuKernel(
    op,
    ([x], attrs, be) => {
      const axis = attrs.axis as number;
      const a = be.get(x!.dataId);
      const { outShape, offsets, bases } = reducePlan(x!.shape, [axis]);
      const out = be.alloc(outShape, 'int64');
      const m = offsets.length;
      for (let o = 0; o < bases.length; o++) {
        const base = bases[o]!;
        let best = a[base]!;
        let bi = 0;
        for (let j = 1; j < m; j++) {
          const v = a[base + offsets[j]!]!;
          if (best !== best) break; // NaN wins, as in PyTorch
          if (better(v, best) || v !== v) {
            best = v;
            bi = j;
          }
        }
        out[o] = bi;
      }
      return be.output(out, outShape, 'int64');
    },
    NUMERIC,
  );
}
argKernel('argmax', (v, b) => v > b);
argKernel('argmin', (v, b) => v < b);
