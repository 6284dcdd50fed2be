// Internal helpers shared by the reduction ops (not part of the public API).
import { noGrad, withGrad } from '../autograd/node.js';
import { isFloat, type DType } from '../dtypes.js';
import { opScope } from '../memory/scope.js';
import { fmtShape, normAxes } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { div } from './div.js';
import { castTo } from './helpers.js';
import { runKernel } from './kernel.js';
import { mul } from './mul.js';
import { reshape } from './reshape.js';
import { reducedShape, sum } from './sum.js';
import { scalar, toTensor, type TensorLike } from './tensor-factory.js';

/**
 * Runs a forward computation without recording it and frees its temporaries at once: the op
 * that calls it attaches its own gradient (written with ops) to the result.
 */
export function untracked(fn: () => Tensor): Tensor {
  return noGrad(() => opScope(fn));
}

/** Product of the sizes of `axes` of `shape` (the element count of one reduced slice). */
export function sliceSize(shape: readonly number[], axes: readonly number[]): number {
  return axes.reduce((p, a) => p * shape[a]!, 1);
}

/** Kernel reduction `op` over `axes` (a copy when `axes` is empty), reduced dims removed. */
export function reduceRaw(op: 'sum' | 'prod' | 'max' | 'min', t: Tensor, axes: readonly number[]): Tensor {
  return axes.length === 0 ? runKernel('cast', [t], { dtype: t.dtype }) : runKernel(op, [t], { axes: [...axes] });
}

/**
 * A constant (non-differentiable) 0/1 mask `a <cmp> b` in dtype `dt`; `b` may be a number.
 * Built from kernels, so it is never part of the autograd graph.
 */
export function maskOf(cmp: 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge', a: Tensor, b: Tensor | number, dt: DType = a.dtype): Tensor {
  const rhs = typeof b === 'number' ? scalar(b, a.dtype) : b;
  return castTo(runKernel(cmp, [a, rhs]), dt);
}

/** A constant `sign(x)` (its derivative is zero almost everywhere). */
export function signOf(x: Tensor): Tensor {
  return runKernel('sign', [x]);
}

/**
 * `m` with non-finite entries replaced by 0: the shift of a numerically stable
 * log-sum-exp (a slice whose max is ±∞ is then handled by `exp`/`log` themselves).
 */
export function finiteOrZero(m: Tensor): Tensor {
  const finite = runKernel('lt', [runKernel('abs', [m]), scalar(Infinity, m.dtype)]);
  return runKernel('where', [finite, m, scalar(0, m.dtype)], {}, m.dtype);
}

/** Throws when a reduction without identity (max, min, argmax…) meets an empty slice. */
export function checkNonEmpty(t: Tensor, axes: readonly number[], op: string): void {
  if (axes.some((a) => t.shape[a] === 0)) {
    throw new Error(`${op}: cannot reduce an empty dimension of a tensor of shape ${fmtShape(t.shape)} (the operation has no identity)`);
  }
}

/**
 * `dy·mask/count` with `mask = (v == reduced)`: the gradient of a max/min-like reduction,
 * split evenly among tied extrema (PyTorch's amax/amin). `v` is the reduced tensor (x, or
 * |x| for norms), `reducedKept` the reduction result with kept dims.
 */
export function tiedGrad(dy: Tensor, v: Tensor, reducedKept: Tensor, axes: readonly number[], kept: readonly number[]): Tensor {
  const mask = maskOf('eq', v, reducedKept);
  const count = sum(mask, axes, true);
  return div(mul(reshape(dy, kept), mask), count);
}

/** Max/min over `axes` (all by default) with the gradient of PyTorch's amax/amin. */
export function extremum(op: 'max' | 'min', x: TensorLike, axes: number | readonly number[] | undefined, keepDims: boolean): Tensor {
  return opScope(() => {
    const t = toTensor(x);
    const ax = normAxes(axes, t.rank, op);
    checkNonEmpty(t, ax, op);
    const kept = reducedShape(t.shape, ax, true);
    const raw = reduceRaw(op, t, ax);
    const out = keepDims ? reshape(raw, kept) : raw;
    return withGrad(op, [t], out, (dy) => [isFloat(t.dtype) ? tiedGrad(dy, t, reshape(out, kept), ax, kept) : null]);
  });
}

/** argmax/argmin along `axis`, or over the flattened tensor when `axis` is undefined. */
export function argReduce(op: 'argmax' | 'argmin', x: TensorLike, axis: number | undefined, keepDims: boolean): Tensor {
  return opScope(() => {
    const t = toTensor(x);
    if (axis === undefined) {
      if (t.size === 0) throw new Error(`${op}: cannot reduce an empty tensor of shape ${fmtShape(t.shape)}`);
      const r = runKernel(op, [reshape(t, [t.size])], { axis: 0 });
      return keepDims ? reshape(r, t.shape.map(() => 1)) : r;
    }
    const [a] = normAxes(axis, t.rank, op);
    if (t.rank === 0) {
      const r = runKernel(op, [reshape(t, [1])], { axis: 0 });
      return r;
    }
    checkNonEmpty(t, [a!], op);
    const r = runKernel(op, [t], { axis: a! });
    return keepDims ? reshape(r, reducedShape(t.shape, [a!], true)) : r;
  });
}
