import { describe, expect, it } from 'vitest';
import { runKernel, setBackend, sizeOf, stridesOf, tensor, type Tensor } from '@mapnn/core';
import { xorshift32 } from '@mapnn/backend-tests';
import '../index.js';

setBackend('cpu');

/** Deterministic pseudo-random integers in [0, n) (xorshift), so failures reproduce. */
function rng(seed: number): (n: number) => number {
  const next = xorshift32(seed);
  return (n: number) => next() % n;
}

const vals = (t: Tensor): number[] => Array.from(t.dataSync());
const seq = (shape: number[]): Tensor => tensor(Array.from({ length: sizeOf(shape) }, (_, i) => i * 1.5 - 3), shape, 'float64');

/** Calls `fn(multiIndex, flat)` for each position of `shape` in row-major order. */
function each(shape: readonly number[], fn: (idx: number[], flat: number) => void): void {
  const n = sizeOf(shape);
  const idx = new Array<number>(shape.length).fill(0);
  for (let f = 0; f < n; f++) {
    fn(idx, f);
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++idx[d]! < shape[d]!) break;
      idx[d] = 0;
    }
  }
}
const offset = (idx: readonly number[], shape: readonly number[]) => {
  const st = stridesOf(shape);
  return idx.reduce((a, v, d) => a + v * st[d]!, 0);
};
const randShape = (r: (n: number) => number) => Array.from({ length: 1 + r(4) }, () => 1 + r(4));

describe('cpu movement kernels against naive references', () => {
  it('slice with random begins, sizes and (negative) steps', () => {
    const r = rng(1);
    for (let trial = 0; trial < 200; trial++) {
      const shape = randShape(r);
      const x = seq(shape);
      const xv = vals(x);
      const begin: number[] = [];
      const size: number[] = [];
      const step: number[] = [];
      for (const d of shape) {
        const s = (1 + r(3)) * (r(2) ? 1 : -1);
        const b = r(d);
        const room = s > 0 ? Math.floor((d - 1 - b) / s) + 1 : Math.floor(b / -s) + 1;
        begin.push(b);
        step.push(s);
        size.push(r(room + 1));
      }
      const out = runKernel('slice', [x], { begin, size, step });
      const want: number[] = [];
      each(size, (idx) => want.push(xv[offset(idx.map((i, d) => begin[d]! + i * step[d]!), shape)]!));
      expect(out.shape).toEqual(size);
      expect(vals(out)).toEqual(want);
    }
  });

  it('pad in all modes', () => {
    const r = rng(2);
    for (let trial = 0; trial < 150; trial++) {
      const shape = randShape(r);
      const x = seq(shape);
      const xv = vals(x);
      const mode = (['constant', 'reflect', 'edge'] as const)[r(3)]!;
      const pads = shape.flatMap((d) => [r(mode === 'reflect' ? d : 4), r(mode === 'reflect' ? d : 4)]);
      const out = runKernel('pad', [x], { pads, mode, value: 7 });
      const outShape = shape.map((d, i) => d + pads[2 * i]! + pads[2 * i + 1]!);
      const want: number[] = [];
      each(outShape, (idx) => {
        let inside = true;
        const src = idx.map((p, d) => {
          const n = shape[d]!;
          let i = p - pads[2 * d]!;
          if (i < 0 || i >= n) {
            inside = false;
            if (mode === 'edge') i = Math.min(Math.max(i, 0), n - 1);
            else if (mode === 'reflect') i = i < 0 ? -i : 2 * (n - 1) - i;
          }
          return i;
        });
        want.push(mode === 'constant' && !inside ? 7 : xv[offset(src, shape)]!);
      });
      expect(out.shape).toEqual(outShape);
      expect(vals(out)).toEqual(want);
    }
  });

  it('concat, gather, indexSelect, scatter and scatterAdd', () => {
    const r = rng(3);
    for (let trial = 0; trial < 150; trial++) {
      const shape = randShape(r);
      const axis = r(shape.length);
      const x = seq(shape);
      const xv = vals(x);
      const d = shape[axis]!;

      // concat of x with a second tensor differing along axis
      const other = shape.map((n, i) => (i === axis ? 1 + r(3) : n));
      const y = tensor(Array.from({ length: sizeOf(other) }, (_, i) => 100 + i), other, 'float64');
      const cat = runKernel('concat', [x, y], { axis });
      const catShape = shape.map((n, i) => (i === axis ? n + other[axis]! : n));
      const catWant: number[] = [];
      each(catShape, (idx) => {
        const k = idx[axis]!;
        catWant.push(k < d ? xv[offset(idx, shape)]! : vals(y)[offset(idx.map((v, i) => (i === axis ? k - d : v)), other)]!);
      });
      expect(vals(cat)).toEqual(catWant);

      // gather with an index no larger than x except along axis
      const ishape = shape.map((n, i) => (i === axis ? 1 + r(4) : 1 + r(n)));
      const index = Array.from({ length: sizeOf(ishape) }, () => r(d));
      const it = tensor(index, ishape, r(2) ? 'int32' : 'int64');
      const g = runKernel('gather', [x, it], { axis });
      const gWant: number[] = [];
      each(ishape, (idx, f) => gWant.push(xv[offset(idx.map((v, i) => (i === axis ? index[f]! : v)), shape)]!));
      expect(vals(g)).toEqual(gWant);

      // scatter / scatterAdd with src of the index's shape
      const src = tensor(Array.from({ length: index.length }, (_, i) => i + 0.5), ishape, 'float64');
      const sv = vals(src);
      const setWant = [...xv];
      const addWant = [...xv];
      each(ishape, (idx, f) => {
        const o = offset(idx.map((v, i) => (i === axis ? index[f]! : v)), shape);
        setWant[o] = sv[f]!;
        addWant[o]! += sv[f]!;
      });
      expect(vals(runKernel('scatter', [x, it, src], { axis }))).toEqual(setWant);
      expect(vals(runKernel('scatterAdd', [x, it, src], { axis }))).toEqual(addWant);

      // indexSelect
      const sel = Array.from({ length: r(5) }, () => r(d));
      const st = runKernel('indexSelect', [x, tensor(sel, [sel.length], 'int32')], { axis });
      const selShape = shape.map((n, i) => (i === axis ? sel.length : n));
      const sWant: number[] = [];
      each(selShape, (idx) => sWant.push(xv[offset(idx.map((v, i) => (i === axis ? sel[v]! : v)), shape)]!));
      expect(st.shape).toEqual(selShape);
      expect(vals(st)).toEqual(sWant);
    }
  });
});

describe('cpu movement kernel errors', () => {
  const x = tensor([[1, 2, 3], [4, 5, 6]]);
  it('index kernels name the op, the bad index and the valid range', () => {
    expect(() => runKernel('gather', [x, tensor([[3]], undefined, 'int32')], { axis: 1 })).toThrow(
      'gather: index 3 is out of range for dim 1 of size 3 (valid range [0, 2])',
    );
    expect(() => runKernel('indexSelect', [x, tensor([-1], undefined, 'int64')], { axis: 0 })).toThrow(
      'indexSelect: index -1 is out of range for dim 0 of size 2 (valid range [0, 1])',
    );
    const src = tensor([[1]]);
    expect(() => runKernel('scatter', [x, tensor([[2]], undefined, 'int32'), src], { axis: 0 })).toThrow(/scatter: index 2 is out of range for dim 0 of size 2/);
    expect(() => runKernel('scatterAdd', [x, tensor([[9]], undefined, 'int32'), src], { axis: 1 })).toThrow(/scatterAdd: index 9/);
    expect(() => runKernel('gather', [x, tensor([[0]])], { axis: 1 })).toThrow(/gather: index must be int32 or int64, got float32/);
  });

  it('slice, pad and concat reject malformed attrs', () => {
    expect(() => runKernel('slice', [x], { begin: [0, 2], size: [1, 2], step: [1, 1] })).toThrow(/slice: dim 1 of \[2,3\]: begin 2, size 2, step 1 reads outside \[0, 2\]/);
    expect(() => runKernel('pad', [x], { pads: [0, 0, 3, 0], mode: 'reflect' })).toThrow(/pad: reflect padding \(3, 0\) of dim 1 must be smaller than its size 3/);
    expect(() => runKernel('pad', [x], { pads: [0, 0] })).toThrow(/pad: pads \[0,0\] must be 4 non-negative integers/);
    expect(() => runKernel('concat', [x, tensor([1, 2])], { axis: 0 })).toThrow(/concat: inputs must share dtype and all dims but axis 0/);
  });
});
