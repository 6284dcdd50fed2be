import { describe, expect, it } from 'vitest';
import {
  cast,
  cat,
  chunk,
  concat,
  flatten,
  flip,
  gather,
  grad,
  indexSelect,
  memory,
  mul,
  narrow,
  oneHot,
  ones,
  pad,
  repeatInterleave,
  reshape,
  scatter,
  scatterAdd,
  slice,
  split,
  squeeze,
  stack,
  sum,
  tensor,
  tidy,
  tile,
  tril,
  triu,
  unbind,
  unsqueeze,
  zeros,
  type Tensor,
} from '../index.js';

const vals = (t: Tensor): number[] => Array.from(t.dataSync());
const i32 = (v: unknown): Tensor => tensor(v as number[], undefined, 'int32');
const i64 = (v: unknown): Tensor => tensor(v as number[], undefined, 'int64');
/** 0..n-1 reshaped, float32. */
const range = (shape: number[]): Tensor => {
  const n = shape.reduce((a, b) => a * b, 1);
  return tensor(Array.from({ length: n }, (_, i) => i), shape);
};
/** Gradient of sum(f(x) * w) for a fixed weight `w` (so each output position is told apart). */
function gradOf(x: Tensor, f: (x: Tensor) => Tensor, w?: Tensor): Tensor {
  const xx = x.detach().requiresGrad_();
  const y = f(xx);
  sum(w ? mul(y, w) : y).backward();
  return xx.grad!;
}
/** Central-difference gradient of scalar `f` at float64 `x`. */
function numericGrad(x: Tensor, f: (x: Tensor) => Tensor): number[] {
  const base = vals(x);
  const h = 1e-6;
  return base.map((_, i) => {
    const p = [...base];
    const m = [...base];
    p[i]! += h;
    m[i]! -= h;
    const fp = f(tensor(p, x.shape, 'float64')).item();
    const fm = f(tensor(m, x.shape, 'float64')).item();
    return (fp - fm) / (2 * h);
  });
}
function expectClose(a: number[], b: number[], tol = 1e-6): void {
  expect(a.length).toBe(b.length);
  a.forEach((v, i) => expect(Math.abs(v - b[i]!)).toBeLessThan(tol));
}

describe('squeeze / unsqueeze / flatten', () => {
  it('squeeze removes all or listed size-1 dims (non-1 listed dims are kept, as PyTorch)', () => {
    const x = zeros([2, 1, 3, 1]);
    expect(squeeze(x).shape).toEqual([2, 3]);
    expect(squeeze(x, 1).shape).toEqual([2, 3, 1]);
    expect(squeeze(x, [-1, 1]).shape).toEqual([2, 3]);
    expect(squeeze(x, 0).shape).toEqual([2, 1, 3, 1]);
    expect(squeeze(zeros([1, 1])).shape).toEqual([]);
    expect(() => squeeze(x, 4)).toThrow(/squeeze: axis 4 is out of range for a tensor of rank 4/);
  });

  it('unsqueeze inserts at positive and negative axes', () => {
    const x = range([2, 3]);
    expect(unsqueeze(x, 0).shape).toEqual([1, 2, 3]);
    expect(unsqueeze(x, 2).shape).toEqual([2, 3, 1]);
    expect(unsqueeze(x, -1).shape).toEqual([2, 3, 1]);
    expect(unsqueeze(x, -3).shape).toEqual([1, 2, 3]);
    expect(vals(unsqueeze(x, 1))).toEqual([0, 1, 2, 3, 4, 5]);
    expect(() => unsqueeze(x, 3)).toThrow(/unsqueeze/);
  });

  it('flatten merges a dim range; scalars become 1-D', () => {
    const x = range([2, 3, 4]);
    expect(flatten(x).shape).toEqual([24]);
    expect(flatten(x, 1).shape).toEqual([2, 12]);
    expect(flatten(x, 0, 1).shape).toEqual([6, 4]);
    expect(flatten(x, -2, -1).shape).toEqual([2, 12]);
    expect(flatten(tensor(5)).shape).toEqual([1]);
    expect(() => flatten(x, 2, 1)).toThrow(/flatten: startDim 2 comes after endDim 1/);
  });

  it('views pass gradients back reshaped', () => {
    const g = gradOf(range([2, 1, 3]), (t) => flatten(unsqueeze(squeeze(t), 0)), range([6]));
    expect(g.shape).toEqual([2, 1, 3]);
    expect(vals(g)).toEqual([0, 1, 2, 3, 4, 5]);
  });
});

describe('slice (ONNX semantics)', () => {
  const x = tensor([0, 1, 2, 3, 4]);
  it('takes ranges with negative indices and clamping', () => {
    expect(vals(slice(x, [1], [4]))).toEqual([1, 2, 3]);
    expect(vals(slice(x, [-2]))).toEqual([3, 4]);
    expect(vals(slice(x, [1], [-1]))).toEqual([1, 2, 3]);
    expect(vals(slice(x, [-100], [100]))).toEqual([0, 1, 2, 3, 4]);
    expect(vals(slice(x, [3], [1]))).toEqual([]);
    expect(slice(x, [3], [1]).shape).toEqual([0]);
    expect(vals(slice(x, 1, 3))).toEqual([1, 2]);
  });

  it('supports positive and negative steps', () => {
    expect(vals(slice(x, [0], [5], [0], [2]))).toEqual([0, 2, 4]);
    expect(vals(slice(x, [1], [100], [0], [3]))).toEqual([1, 4]);
    expect(vals(slice(x, [-1], undefined, [0], [-1]))).toEqual([4, 3, 2, 1, 0]);
    expect(vals(slice(x, [-1], undefined, [0], [-2]))).toEqual([4, 2, 0]);
    expect(vals(slice(x, [3], [0], [0], [-1]))).toEqual([3, 2, 1]);
    // ONNX: end -1 means d-1, so nothing is taken walking backwards from 4 to 4
    expect(vals(slice(x, [4], [-1], [0], [-1]))).toEqual([]);
    // clamping with negative steps: start clamps to d-1, end to -1
    expect(vals(slice(x, [100], [-100], [0], [-2]))).toEqual([4, 2, 0]);
  });

  it('slices chosen axes of a matrix', () => {
    const m = range([3, 4]);
    expect(slice(m, [0, 1], [99, -1], [0, 1]).arraySync()).toEqual([[1, 2], [5, 6], [9, 10]]);
    expect(slice(m, [1], [2], [-1]).arraySync()).toEqual([[1], [5], [9]]);
    // rows 2, 0 (end -4 → -1 after wrapping); cols 3, 0
    expect(slice(m, [-1, -1], [-4, -5], [0, 1], [-2, -3]).arraySync()).toEqual([[11, 8], [3, 0]]);
    expect(slice(m, [-1, -1], [0, -5], [0, 1], [-2, -3]).arraySync()).toEqual([[11, 8]]);
    expect(m.slice([1], [3]).arraySync()).toEqual([[4, 5, 6, 7], [8, 9, 10, 11]]);
  });

  it('validates its arguments', () => {
    expect(() => slice(x, [0], [1], [0], [0])).toThrow(/slice: step 0 of axis 0 must be a non-zero integer/);
    expect(() => slice(x, [0, 1], [1])).toThrow(/slice: .*equal lengths/);
    expect(() => slice(x, [0], [1], [1])).toThrow(/slice: axis 1 is out of range/);
    expect(() => slice(range([2, 2]), [0, 0], [1, 1], [0, -2])).toThrow(/repeat a dim/);
  });

  it('gradient of unit-step slices places dy with zeros around it (pad path)', () => {
    const g = gradOf(range([3, 4]), (t) => slice(t, [1, 1], [3, 3]), tensor([[1, 2], [3, 4]]));
    expect(g.arraySync()).toEqual([[0, 0, 0, 0], [0, 1, 2, 0], [0, 3, 4, 0]]);
  });

  it('gradient of strided and reversed slices scatters dy into place', () => {
    const g = gradOf(range([5]), (t) => slice(t, [-1], undefined, [0], [-2]), tensor([10, 20, 30]));
    expect(vals(g)).toEqual([30, 0, 20, 0, 10]);
    const g2 = gradOf(range([2, 4]), (t) => slice(t, [0, 3], [2, 0], [0, 1], [1, -2]), tensor([[1, 2], [3, 4]]));
    expect(g2.arraySync()).toEqual([[0, 2, 0, 1], [0, 4, 0, 3]]);
  });

  it('second derivatives flow through slice gradients', () => {
    const f = (t: Tensor) => {
      const a = slice(t, [0], [2]);
      const b = slice(t, [-1], undefined, [0], [-2]);
      return sum(mul(mul(a, a), a)).add(sum(mul(b, b)));
    };
    // f = x0^3 + x1^3 + x2^2 + x0^2 (b = [x2, x0]); f'' = diag(6x0 + 2, 6x1, 2)
    const d2 = grad((y) => sum(grad(f)(y)))(tensor([1, 2, 3]));
    expect(vals(d2)).toEqual([8, 12, 2]);
  });
});

describe('narrow / concat / stack / split / chunk / unbind', () => {
  it('narrow takes an exact range and rejects ranges outside the dim', () => {
    const m = range([2, 3]);
    expect(narrow(m, 1, 1, 2).arraySync()).toEqual([[1, 2], [4, 5]]);
    expect(narrow(m, -1, -2, 2).arraySync()).toEqual([[1, 2], [4, 5]]);
    expect(narrow(m, 0, 2, 0).shape).toEqual([0, 3]);
    expect(() => narrow(m, 1, 2, 2)).toThrow(/narrow: start 2, length 2 is outside dim 1 of size 3 \(x \[2,3\]\)/);
  });

  it('concat joins along an axis, promotes dtypes and splits the gradient', () => {
    const a = tensor([[1, 2]]);
    const b = tensor([[3, 4], [5, 6]]);
    expect(concat([a, b]).arraySync()).toEqual([[1, 2], [3, 4], [5, 6]]);
    expect(cat([zeros([2, 1]), ones([2, 2])], -1).arraySync()).toEqual([[0, 1, 1], [0, 1, 1]]);
    const mixed = concat([i32([1, 2]), tensor([0.5])]);
    expect(mixed.dtype).toBe('float32');
    expect(vals(mixed)).toEqual([1, 2, 0.5]);
    expect(concat([i32([1]), i64([2])]).dtype).toBe('int64');

    const aa = a.detach().requiresGrad_();
    const bb = b.detach().requiresGrad_();
    sum(mul(concat([aa, bb]), range([3, 2]))).backward();
    expect(aa.grad!.arraySync()).toEqual([[0, 1]]);
    expect(bb.grad!.arraySync()).toEqual([[2, 3], [4, 5]]);
    expect(() => concat([a, zeros([2, 3])])).toThrow(/concat: along axis 0 .*\[1,2\], \[2,3\]/);
    expect(() => concat([])).toThrow(/concat: needs at least one tensor/);
  });

  it('stack adds a new axis', () => {
    expect(stack([tensor([1, 2]), tensor([3, 4])]).arraySync()).toEqual([[1, 2], [3, 4]]);
    expect(stack([tensor([1, 2]), tensor([3, 4])], 1).arraySync()).toEqual([[1, 3], [2, 4]]);
    expect(stack([tensor([1, 2]), tensor([3, 4])], -1).shape).toEqual([2, 2]);
    expect(() => stack([tensor([1, 2]), tensor([3])])).toThrow(/stack: all tensors need the same shape; got \[2\], \[1\]/);
    const g = gradOf(tensor([1, 2]), (t) => stack([t, mul(t, 3)], 1), tensor([[1, 1], [1, 1]]));
    expect(vals(g)).toEqual([4, 4]);
  });

  it('split by size (last piece smaller) and by sections', () => {
    const pieces = split(range([5]), 2);
    expect(pieces.map(vals)).toEqual([[0, 1], [2, 3], [4]]);
    const secs = split(range([2, 6]), [1, 2, 3], 1);
    expect(secs.map((t) => t.shape)).toEqual([[2, 1], [2, 2], [2, 3]]);
    expect(secs[2]!.arraySync()).toEqual([[3, 4, 5], [9, 10, 11]]);
    expect(() => split(range([5]), [2, 2])).toThrow(/split: sizes \[2,2\] must be non-negative integers adding up to 5/);
    expect(() => split(range([5]), 0)).toThrow(/split: piece size 0/);
  });

  it('split pieces carry gradients back to their place', () => {
    const x = range([4]).requiresGrad_();
    const [p, q] = split(x, [1, 3]);
    sum(mul(p!, 10)).add(sum(mul(q!, tensor([1, 2, 3])))).backward();
    expect(vals(x.grad!)).toEqual([10, 1, 2, 3]);
  });

  it('chunk follows torch.chunk sizing', () => {
    expect(chunk(range([5]), 3).map((t) => t.shape)).toEqual([[2], [2], [1]]);
    expect(chunk(range([6]), 4).map((t) => t.shape)).toEqual([[2], [2], [2]]);
    expect(chunk(range([2, 4]), 2, 1).map((t) => t.arraySync())).toEqual([[[0, 1], [4, 5]], [[2, 3], [6, 7]]]);
    expect(() => chunk(range([3]), 0)).toThrow(/chunk: chunks must be a positive integer/);
  });

  it('unbind removes the axis', () => {
    const parts = unbind(tensor([[1, 2], [3, 4]]), 1);
    expect(parts.map((t) => t.arraySync())).toEqual([[1, 3], [2, 4]]);
    expect(unbind(range([3, 2])).map((t) => t.shape)).toEqual([[2], [2], [2]]);
    const x = range([2, 2]).requiresGrad_();
    const [, second] = unbind(x);
    sum(mul(second!, tensor([5, 6]))).backward();
    expect(x.grad!.arraySync()).toEqual([[0, 0], [5, 6]]);
  });
});

describe('gather / scatter / scatterAdd / indexSelect', () => {
  it('gather follows torch.gather', () => {
    const x = tensor([[1, 2], [3, 4]]);
    expect(gather(x, 1, i32([[0, 0], [1, 0]])).arraySync()).toEqual([[1, 1], [4, 3]]);
    expect(gather(x, 0, i64([[1, 0]])).arraySync()).toEqual([[3, 2]]);
    expect(gather(x, -1, [[1], [0]]).arraySync()).toEqual([[2], [3]]);
    const x3 = range([2, 3, 4]);
    // out[i][j][k] = x[i][j][idx[i][j][k]] with a smaller index along a non-gathered dim
    expect(gather(x3, 2, i32([[[3, 0]], [[1, 1]]])).arraySync()).toEqual([[[3, 0]], [[13, 13]]]);
  });

  it('gather gradient accumulates duplicate indices', () => {
    const g = gradOf(tensor([[1, 2, 3], [4, 5, 6]]), (t) => gather(t, 1, i32([[0, 0, 2], [1, 1, 1]])), tensor([[1, 2, 3], [4, 5, 6]]));
    expect(g.arraySync()).toEqual([[3, 0, 3], [0, 15, 0]]);
  });

  it('gather reports bad indices, dtypes and shapes', () => {
    const x = tensor([[1, 2], [3, 4]]);
    expect(() => gather(x, 1, i32([[0, 2], [0, 0]]))).toThrow(/gather: index 2 is out of range for dim 1 of size 2 \(valid range \[0, 1\]\)/);
    expect(() => gather(x, 1, i32([[0, -1], [0, 0]]))).toThrow(/gather: index -1 is out of range/);
    expect(() => gather(x, 1, tensor([[0, 1], [0, 0]]))).toThrow(/gather: index must be an int32 or int64 tensor, got float32 \[2,2\]/);
    expect(() => gather(x, 1, i32([0, 1]))).toThrow(/gather: index \[2\] must have the rank of x \[2,2\]/);
    expect(() => gather(x, 1, i32([[0], [0], [0]]))).toThrow(/gather: index \[3,1\] .* x \[2,2\]/);
  });

  it('scatter writes src at index positions', () => {
    const out = scatter(zeros([2, 3]), 1, i32([[2], [0]]), tensor([[5], [6]]));
    expect(out.arraySync()).toEqual([[0, 0, 5], [6, 0, 0]]);
    // torch example: src larger than index, only its leading part is read
    const src = range([2, 5]).add(1);
    const t = scatter(zeros([3, 5]), 0, i64([[0, 1, 2, 0]]), src);
    expect(t.arraySync()).toEqual([[1, 0, 0, 4, 0], [0, 2, 0, 0, 0], [0, 0, 3, 0, 0]]);
    expect(scatter(ones([3]), 0, i32([1]), 7).arraySync()).toEqual([1, 7, 1]);
    expect(() => scatter(zeros([3]), 0, i32([3]), tensor([1]))).toThrow(/scatter: index 3 is out of range for dim 0 of size 3 \(valid range \[0, 2\]\)/);
    expect(() => scatter(zeros([3]), 0, i32([0, 1]), tensor([1]))).toThrow(/scatter: index \[2\] must have the rank of x \[3\] and src \[1\]/);
  });

  it('scatter gradient zeroes overwritten positions for x and gathers for src', () => {
    const x = range([2, 3]).requiresGrad_();
    const s = tensor([[10], [20]]).requiresGrad_();
    sum(mul(scatter(x, 1, i32([[2], [0]]), s), range([2, 3]).add(1))).backward();
    expect(x.grad!.arraySync()).toEqual([[1, 2, 0], [0, 5, 6]]);
    expect(s.grad!.arraySync()).toEqual([[3], [4]]);
  });

  it('scatterAdd accumulates duplicates; gradient is dy and gather(dy)', () => {
    expect(vals(scatterAdd(zeros([3]), 0, i32([0, 2, 0]), tensor([1, 2, 3])))).toEqual([4, 0, 2]);
    expect(scatterAdd(ones([2, 2]), 1, i32([[1, 1], [0, 1]]), tensor([[1, 2], [3, 4]])).arraySync()).toEqual([[1, 4], [4, 5]]);
    expect(vals(scatterAdd(i32([1, 1]), 0, i32([1, 1]), i32([5, 6])))).toEqual([1, 12]);
    const x = zeros([3]).requiresGrad_();
    const s = tensor([1, 2, 3]).requiresGrad_();
    sum(mul(scatterAdd(x, 0, i32([0, 2, 0]), s), tensor([1, 2, 3]))).backward();
    expect(vals(x.grad!)).toEqual([1, 2, 3]);
    expect(vals(s.grad!)).toEqual([1, 3, 1]);
    expect(() => scatterAdd(zeros([3]), 0, i32([0, 5]), tensor([1, 1]))).toThrow(/scatterAdd: index 5 is out of range for dim 0 of size 3/);
  });

  it('indexSelect picks rows or columns with repeats', () => {
    const m = tensor([[1, 2], [3, 4], [5, 6]]);
    expect(indexSelect(m, 0, [2, 0, 2]).arraySync()).toEqual([[5, 6], [1, 2], [5, 6]]);
    expect(indexSelect(m, 1, i64([1])).arraySync()).toEqual([[2], [4], [6]]);
    expect(indexSelect(m, -1, tensor(0, [], 'int32')).arraySync()).toEqual([[1], [3], [5]]);
    expect(indexSelect(range([2, 3, 4]), 1, [2, 0]).arraySync()).toEqual([
      [[8, 9, 10, 11], [0, 1, 2, 3]],
      [[20, 21, 22, 23], [12, 13, 14, 15]],
    ]);
    expect(() => indexSelect(m, 0, [3])).toThrow(/indexSelect: index 3 is out of range for dim 0 of size 3 \(valid range \[0, 2\]\)/);
    expect(() => indexSelect(m, 0, i32([[0]]))).toThrow(/indexSelect: indices must be 1-D, got shape \[1,1\]/);
    expect(() => indexSelect(m, 0, tensor([0.0]))).toThrow(/indexSelect: indices must be an int32 or int64 tensor, got float32/);
  });

  it('indexSelect gradient sums repeated rows', () => {
    const g = gradOf(range([3, 2]), (t) => indexSelect(t, 0, [2, 0, 2]), tensor([[1, 2], [3, 4], [5, 6]]));
    expect(g.arraySync()).toEqual([[3, 4], [0, 0], [6, 8]]);
    const g1 = gradOf(range([2, 3]), (t) => indexSelect(t, 1, [1, 1]), tensor([[1, 2], [3, 4]]));
    expect(g1.arraySync()).toEqual([[0, 3, 0], [0, 7, 0]]);
  });
});

describe('pad', () => {
  it('constant mode uses F.pad ordering (last dim first)', () => {
    expect(vals(pad(tensor([1, 2, 3]), [2, 1]))).toEqual([0, 0, 1, 2, 3, 0]);
    const m = tensor([[1, 2], [3, 4]]);
    expect(pad(m, [1, 0, 0, 1], 'constant', 9).arraySync()).toEqual([[9, 1, 2], [9, 3, 4], [9, 9, 9]]);
    expect(pad(m, [0, 0, 1, 1]).shape).toEqual([4, 2]);
    expect(pad(zeros([1, 1, 2, 2]), [1, 1, 1, 1]).shape).toEqual([1, 1, 4, 4]);
    expect(vals(pad(i32([1, 2]), [1, 1], 'constant', 7))).toEqual([7, 1, 2, 7]);
  });

  it('negative constant pads crop', () => {
    expect(vals(pad(tensor([1, 2, 3, 4]), [-1, 2]))).toEqual([2, 3, 4, 0, 0]);
    expect(pad(range([3, 3]), [0, -1, -2, 0]).arraySync()).toEqual([[6, 7]]);
  });

  it('reflect and edge modes', () => {
    const x = tensor([1, 2, 3]);
    expect(vals(pad(x, [2, 1], 'reflect'))).toEqual([3, 2, 1, 2, 3, 2]);
    expect(vals(pad(x, [2, 1], 'edge'))).toEqual([1, 1, 1, 2, 3, 3]);
    expect(vals(pad(x, [2, 1], 'replicate'))).toEqual([1, 1, 1, 2, 3, 3]);
    const m = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(pad(m, [1, 1, 1, 1], 'reflect').arraySync()).toEqual([
      [5, 4, 5, 6, 5],
      [2, 1, 2, 3, 2],
      [5, 4, 5, 6, 5],
      [2, 1, 2, 3, 2],
    ]);
    expect(pad(m, [0, 1, 1, 0], 'edge').arraySync()).toEqual([[1, 2, 3, 3], [1, 2, 3, 3], [4, 5, 6, 6]]);
  });

  it('errors name the op and the problem', () => {
    expect(() => pad(tensor([1, 2]), [2, 0], 'reflect')).toThrow(/pad: reflect padding \(2, 0\) of dim 0 must be smaller than its size 2/);
    expect(() => pad(tensor([1, 2]), [1])).toThrow(/pad: pads \[1\] must be an even number \(at most 2\)/);
    expect(() => pad(tensor([1, 2]), [1, 1, 1, 1])).toThrow(/pad: pads/);
    expect(() => pad(tensor([1, 2]), [-1, 0], 'edge')).toThrow(/only allowed in constant mode/);
    expect(() => pad(tensor([1, 2]), [1, 1], 'wrap' as never)).toThrow(/pad: unknown mode 'wrap'/);
  });

  it('constant gradient slices dy; reflect/edge gradients fold the copies back', () => {
    const gc = gradOf(tensor([1, 2, 3]), (t) => pad(t, [2, 1]), tensor([1, 2, 3, 4, 5, 6]));
    expect(vals(gc)).toEqual([3, 4, 5]);
    // reflect [3,2,1,2,3,2] ← positions: x2,x1,x0,x1,x2,x1
    const gr = gradOf(tensor([1, 2, 3]), (t) => pad(t, [2, 1], 'reflect'), tensor([1, 2, 3, 4, 5, 6]));
    expect(vals(gr)).toEqual([3, 2 + 4 + 6, 1 + 5]);
    // edge [x0,x0,x0,x1,x2,x2]
    const ge = gradOf(tensor([1, 2, 3]), (t) => pad(t, [2, 1], 'edge'), tensor([1, 2, 3, 4, 5, 6]));
    expect(vals(ge)).toEqual([6, 4, 11]);
    const gcrop = gradOf(tensor([1, 2, 3, 4]), (t) => pad(t, [-1, 1]), tensor([1, 2, 3, 4]));
    expect(vals(gcrop)).toEqual([0, 1, 2, 3]);
  });

  it('2-D reflect gradient matches finite differences', () => {
    const x = tensor([0.3, -1.2, 0.7, 2.1, 0.4, -0.5], [2, 3], 'float64');
    const w = tensor(Array.from({ length: 20 }, (_, i) => Math.sin(i + 1)), [4, 5], 'float64');
    const f = (t: Tensor) => sum(mul(pad(t, [1, 1, 1, 1], 'reflect'), w));
    const g = grad(f)(x);
    expectClose(vals(g), numericGrad(x, f), 1e-6);
  });
});

describe('tile / repeatInterleave / oneHot / tril / triu / flip', () => {
  it('tile repeats the whole tensor', () => {
    expect(vals(tile(tensor([1, 2]), [2]))).toEqual([1, 2, 1, 2]);
    expect(tile(tensor([[1, 2], [3, 4]]), [2, 1]).arraySync()).toEqual([[1, 2], [3, 4], [1, 2], [3, 4]]);
    expect(tile(tensor([1, 2]), [2, 2]).arraySync()).toEqual([[1, 2, 1, 2], [1, 2, 1, 2]]);
    expect(tile(zeros([2, 3]), [2]).shape).toEqual([2, 6]);
    const g = gradOf(tensor([1, 2]), (t) => tile(t, [3]), tensor([1, 2, 3, 4, 5, 6]));
    expect(vals(g)).toEqual([9, 12]);
  });

  it('repeatInterleave repeats each entry', () => {
    expect(vals(repeatInterleave(tensor([1, 2]), 2))).toEqual([1, 1, 2, 2]);
    expect(vals(repeatInterleave(tensor([[1, 2], [3, 4]]), 2))).toEqual([1, 1, 2, 2, 3, 3, 4, 4]);
    expect(repeatInterleave(tensor([[1, 2], [3, 4]]), 2, 1).arraySync()).toEqual([[1, 1, 2, 2], [3, 3, 4, 4]]);
    expect(repeatInterleave(tensor([[1, 2], [3, 4]]), [1, 2], 0).arraySync()).toEqual([[1, 2], [3, 4], [3, 4]]);
    expect(vals(repeatInterleave(tensor([1, 2, 3]), [0, 1, 2], 0))).toEqual([2, 3, 3]);
    const g = gradOf(tensor([1, 2]), (t) => repeatInterleave(t, 3), tensor([1, 2, 3, 4, 5, 6]));
    expect(vals(g)).toEqual([6, 15]);
    expect(() => repeatInterleave(tensor([1, 2]), [1], 0)).toThrow(/repeatInterleave: repeats \[1\] must be 2 non-negative integers/);
  });

  it('oneHot encodes labels as float32 and rejects out-of-range labels', () => {
    const h = oneHot([0, 2], 3);
    expect(h.dtype).toBe('float32');
    expect(h.arraySync()).toEqual([[1, 0, 0], [0, 0, 1]]);
    expect(oneHot(i64([[1], [0]]), 2).arraySync()).toEqual([[[0, 1]], [[1, 0]]]);
    expect(() => oneHot([0, 3], 3)).toThrow(/oneHot: label 3 \(at flat index 1 of indices \[2\]\) is outside \[0, 2\]/);
    expect(() => oneHot([-1], 3)).toThrow(/oneHot: label -1/);
    expect(() => oneHot(tensor([0.5]), 3)).toThrow(/oneHot: indices must be an int32 or int64 tensor/);
  });

  it('tril / triu with offsets and batches', () => {
    const o = ones([3, 3]);
    expect(tril(o).arraySync()).toEqual([[1, 0, 0], [1, 1, 0], [1, 1, 1]]);
    expect(triu(o).arraySync()).toEqual([[1, 1, 1], [0, 1, 1], [0, 0, 1]]);
    expect(tril(ones([2, 3]), -1).arraySync()).toEqual([[0, 0, 0], [1, 0, 0]]);
    expect(triu(ones([3, 3]), 1).arraySync()).toEqual([[0, 1, 1], [0, 0, 1], [0, 0, 0]]);
    expect(tril(ones([2, 3]), 1).arraySync()).toEqual([[1, 1, 0], [1, 1, 1]]);
    const b = tril(range([2, 2, 2]));
    expect(b.arraySync()).toEqual([[[0, 0], [2, 3]], [[4, 0], [6, 7]]]);
    // masked entries are exactly zero even when infinite (not inf·0 = NaN)
    expect(vals(triu(tensor([[1, Infinity], [-Infinity, 2]])))).toEqual([1, Infinity, 0, 2]);
    expect(tril(i32([[1, 2], [3, 4]])).dtype).toBe('int32');
    expect(() => tril(tensor([1, 2]))).toThrow(/tril: needs a tensor of at least 2 dims, got shape \[2\]/);
    const g = gradOf(ones([2, 2]), (t) => triu(t), tensor([[1, 2], [3, 4]]));
    expect(g.arraySync()).toEqual([[1, 2], [0, 4]]);
  });

  it('flip reverses axes; gradient flips back', () => {
    const m = tensor([[1, 2], [3, 4]]);
    expect(flip(m, 1).arraySync()).toEqual([[2, 1], [4, 3]]);
    expect(flip(m, [0, 1]).arraySync()).toEqual([[4, 3], [2, 1]]);
    expect(flip(m, -2).arraySync()).toEqual([[3, 4], [1, 2]]);
    expect(flip(zeros([0, 2]), 0).shape).toEqual([0, 2]);
    const g = gradOf(tensor([1, 2, 3]), (t) => flip(t, 0), tensor([10, 20, 30]));
    expect(vals(g)).toEqual([30, 20, 10]);
  });
});

describe('dtypes, methods and memory', () => {
  it('movement kernels copy float16, int and bool storage exactly', () => {
    const h = cast(tensor([0.5, 1.5, -2, 3.25]), 'float16');
    expect(vals(slice(h, [3], undefined, [0], [-1]))).toEqual([3.25, -2, 1.5, 0.5]);
    expect(concat([h, h]).dtype).toBe('float16');
    expect(vals(gather(h, 0, i32([3, 0])))).toEqual([3.25, 0.5]);
    expect(vals(pad(h, [1, 1], 'constant', 0.25))).toEqual([0.25, 0.5, 1.5, -2, 3.25, 0.25]);
    expect(vals(pad(h, [1, 1], 'reflect'))).toEqual([1.5, 0.5, 1.5, -2, 3.25, -2]);
    expect(vals(indexSelect(h, 0, [1, 1]))).toEqual([1.5, 1.5]);
    expect(vals(scatter(h, 0, i32([0]), cast(tensor([9]), 'float16')))).toEqual([9, 1.5, -2, 3.25]);
    const sa = scatterAdd(h, 0, i32([0, 0]), cast(tensor([1, 1]), 'float16'));
    expect(sa.dtype).toBe('float16');
    expect(vals(sa)).toEqual([2.5, 1.5, -2, 3.25]);
    const bools = tensor([true, false, true]);
    expect(flip(bools, 0).arraySync()).toEqual([true, false, true]);
    expect(concat([bools, tensor([false])]).arraySync()).toEqual([true, false, true, false]);
    expect(vals(slice(i64([5, 6, 7]), [1]))).toEqual([6, 7]);
  });

  it('Tensor methods call the ops', () => {
    const x = range([2, 3]);
    expect(x.unsqueeze(0).squeeze().shape).toEqual([2, 3]);
    expect(x.flatten().shape).toEqual([6]);
    expect(x.slice([1], [3], [1]).arraySync()).toEqual([[1, 2], [4, 5]]);
    expect(x.narrow(0, 1, 1).arraySync()).toEqual([[3, 4, 5]]);
    expect(x.split(1).length).toBe(2);
    expect(x.chunk(3, 1).length).toBe(3);
    expect(x.unbind(1).length).toBe(3);
    expect(x.gather(1, i32([[2], [0]])).arraySync()).toEqual([[2], [3]]);
    expect(x.scatter(1, i32([[0], [0]]), 9).arraySync()).toEqual([[9, 1, 2], [9, 4, 5]]);
    expect(x.scatterAdd(1, i32([[0], [0]]), tensor([[1], [1]])).arraySync()).toEqual([[1, 1, 2], [4, 4, 5]]);
    expect(x.indexSelect(1, [2]).arraySync()).toEqual([[2], [5]]);
    expect(x.pad([1, 0]).arraySync()).toEqual([[0, 0, 1, 2], [0, 3, 4, 5]]);
    expect(x.tile([1, 2]).shape).toEqual([2, 6]);
    expect(x.repeatInterleave(2, 0).shape).toEqual([4, 3]);
    expect(x.tril().arraySync()).toEqual([[0, 0, 0], [3, 4, 0]]);
    expect(x.triu(1).arraySync()).toEqual([[0, 1, 2], [0, 0, 5]]);
    expect(x.flip(1).arraySync()).toEqual([[2, 1, 0], [5, 4, 3]]);
  });

  it('ops leave only their outputs behind', () => {
    const x = range([3, 4]);
    const before = memory().numTensors;
    tidy(() => {
      const outs = [
        slice(x, [0], [3], [1], [2]),
        pad(x, [1, 1, 1, 1], 'reflect'),
        gather(x, 1, [[0], [1], [2]]),
        indexSelect(x, 0, [2, 2]),
        concat([x, x], 1),
        stack([x, x]),
        tile(x, [2, 2]),
        tril(x),
        oneHot([1, 2], 4),
        reshape(x, [12]),
      ];
      expect(memory().numTensors).toBe(before + outs.length);
    });
    expect(memory().numTensors).toBe(before);
  });

  it('forward + backward through every gradient path leaks nothing', () => {
    const x = range([3, 4]).requiresGrad_();
    const before = memory().numTensors;
    tidy(() => {
      const parts = [
        slice(x, [-1], undefined, [1], [-2]),
        slice(x, [1], [3]),
        pad(x, [1, 2, 1, 0], 'reflect'),
        pad(x, [1, -1]),
        gather(x, 1, [[0, 0], [1, 1], [3, 2]]),
        indexSelect(x, 0, [2, 2]),
        scatter(x, 1, [[0], [1], [2]], tensor([[1], [2], [3]])),
        scatterAdd(x, 0, [[0, 1, 2, 0]], tensor([[1, 2, 3, 4]])),
        concat([x, x], 1),
        tile(x, [2]),
        repeatInterleave(x, [1, 0, 2], 0),
        tril(x),
        flip(x, [0, 1]),
        ...split(x, 2, 1),
        ...unbind(x),
      ];
      parts.reduce((acc: Tensor | null, p) => (acc ? acc.add(sum(p)) : sum(p)), null)!.backward();
    });
    expect(memory().numTensors).toBe(before + 1); // x.grad
    x.grad!.dispose();
    x.grad = null;
    expect(memory().numTensors).toBe(before);
  });

  it('second derivatives through indexSelect and gather', () => {
    // f = 2·x0³ + x1³ → f' = [6x0², 3x1²] → d/dx Σf' = [12x0, 6x1]
    const f = (t: Tensor) => {
      const s = indexSelect(t, 0, [0, 0, 1]);
      return sum(mul(mul(s, s), s));
    };
    expect(vals(grad((y) => sum(grad(f)(y)))(tensor([1, 2])))).toEqual([12, 12]);
    const h = (t: Tensor) => {
      const s = gather(t, 0, [1, 1]);
      return sum(mul(s, s));
    };
    expect(vals(grad((y) => sum(grad(h)(y)))(tensor([3, 5])))).toEqual([0, 4]);
  });
});
