// Shared helpers of the losses (reductions, argument checks). Not exported from the package.
import { asFloat, castTo, fmtShape, isFloat, isTensor, tensor, toTensor, type Tensor, type TensorLike } from '@mapnn/core';
import { buffer } from '../module.js';

/** How a loss reduces its per-element values: mean (default), sum, or none (per element). */
export type Reduction = 'mean' | 'sum' | 'none';

const REDUCTIONS: readonly string[] = ['mean', 'sum', 'none'];

/** Throws unless `r` is one of `allowed` (default 'mean' | 'sum' | 'none'). */
export function checkReduction(name: string, r: string, allowed: readonly string[] = REDUCTIONS): void {
  if (!allowed.includes(r)) {
    throw new Error(`${name}: reduction must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got '${r}'`);
  }
}

/**
 * A loss module's own buffer holding `w` (a class weight, `posWeight`, `alpha`), or null. A
 * caller's tensor is not adopted: the buffer is a new handle on its storage (`detach()`,
 * reference-counted, no copy), so `module.dispose()` frees only the module's handle and the
 * caller's tensor stays usable (and unmarked); arrays become a new tensor the module owns.
 */
export function ownedBuffer(w: TensorLike | null | undefined): Tensor | null {
  if (w == null) return null;
  return buffer(isTensor(w) ? w.detach() : toTensor(w));
}

/** Applies a reduction to per-element losses. */
export function reduce(loss: Tensor, reduction: Reduction): Tensor {
  if (reduction === 'sum') return loss.sum();
  if (reduction === 'mean') return loss.mean();
  return loss;
}

/** The input as a float tensor (int/bool promote to float32). */
export function floatInput(x: TensorLike): Tensor {
  return asFloat(x);
}

/** A float target in the input's dtype (differentiable cast). */
export function floatLike(t: TensorLike, like: Tensor): Tensor {
  const x = toTensor(t);
  return castTo(x, like.dtype);
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Throws unless `target` has the shape of `input` (elementwise losses). */
export function checkSameShape(name: string, input: Tensor, target: Tensor, what = 'target'): void {
  if (!sameShape(input.shape, target.shape)) {
    throw new Error(
      `${name}: ${what} shape ${fmtShape(target.shape)} does not match input shape ${fmtShape(input.shape)}; ` +
        `expected ${what} of shape ${fmtShape(input.shape)}`,
    );
  }
}

/** Throws unless `t` is an int32/int64 tensor (class indices). */
export function checkIndexDType(name: string, t: Tensor, what = 'target'): void {
  if (t.dtype !== 'int32' && t.dtype !== 'int64') {
    throw new Error(`${name}: ${what} must hold class indices of dtype int32 or int64, got ${t.dtype} ${fmtShape(t.shape)}`);
  }
}

/** Values of `t` when the backend reads synchronously, else null (checks are then skipped). */
export function tryRead(t: Tensor): ArrayLike<number> | null {
  try {
    return t.dataSync() as ArrayLike<number>;
  } catch {
    return null;
  }
}

/**
 * Throws a RangeError naming the loss when a class index of `target` is outside `[0, C)` (entries
 * equal to `ignoreIndex` are allowed).
 */
export function checkClassRange(name: string, target: Tensor, input: Tensor, C: number, ignoreIndex: number | null): void {
  const data = tryRead(target);
  if (!data) return;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (ignoreIndex !== null && v === ignoreIndex) continue;
    if (!(v >= 0 && v < C)) {
      throw new RangeError(
        `${name}: target class index ${v} (at flat index ${i} of target ${fmtShape(target.shape)}) is out of range ` +
          `for input ${fmtShape(input.shape)} with ${C} classes; expected 0 ≤ index ≤ ${C - 1}` +
          (ignoreIndex !== null ? ` or ignoreIndex ${ignoreIndex}` : ''),
      );
    }
  }
}

/**
 * A per-class weight vector of length `C` in the input's dtype, or null. Accepts tensors and
 * plain arrays.
 */
export function classWeight(name: string, w: TensorLike | null | undefined, C: number, input: Tensor, what = 'weight'): Tensor | null {
  if (w == null) return null;
  const t = toTensor(w);
  if (!isFloat(t.dtype) && isTensor(w)) {
    throw new Error(`${name}: ${what} must be a float tensor, got ${t.dtype}`);
  }
  if (t.rank !== 1 || t.shape[0] !== C) {
    throw new Error(
      `${name}: ${what} shape ${fmtShape(t.shape)} does not match the ${C} classes of input ${fmtShape(input.shape)}; ` +
        `expected ${what} of shape [${C}]`,
    );
  }
  return castTo(t, input.dtype);
}

/** Shape `[1, C, 1, …]` (rank `rank`) used to broadcast a per-class vector along axis 1. */
export function classAxisShape(C: number, rank: number, axis = 1): number[] {
  const s = new Array<number>(rank).fill(1);
  s[axis] = C;
  return s;
}

/** Throws unless `v` is a finite number (optionally ≥ 0). */
export function checkNumber(name: string, what: string, v: number, nonNegative = false): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || (nonNegative && v < 0)) {
    throw new Error(`${name}: ${what} must be a finite${nonNegative ? ' non-negative' : ''} number, got ${v}`);
  }
}

/** Short `key=value` list for `describe()`, skipping undefined / null values. */
export function describeOpts(cls: string, opts: Record<string, unknown>): string {
  const parts = Object.entries(opts)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => `${k}=${isTensor(v) ? fmtShape(v.shape) : String(v)}`);
  return `${cls}(${parts.join(', ')})`;
}

/** An optional elementwise weight broadcastable to the input's shape, in the input's dtype. */
export function elementWeight(name: string, w: TensorLike | null | undefined, input: Tensor, what = 'weight'): Tensor | null {
  if (w == null) return null;
  const t = toTensor(w);
  const xs = input.shape;
  const ok =
    t.rank <= xs.length &&
    t.shape.every((d, i) => {
      const xd = xs[xs.length - t.rank + i]!;
      return d === xd || d === 1;
    });
  if (!ok) {
    throw new Error(
      `${name}: ${what} shape ${fmtShape(t.shape)} does not broadcast to input shape ${fmtShape(xs)}; ` +
        `expected a shape broadcastable to ${fmtShape(xs)}`,
    );
  }
  return castTo(t, input.dtype);
}

/**
 * Checks a class-index target against an input `[C]`, `[N, C]` or `[N, C, d1, …]` (target
 * `[]`, `[N]`, `[N, d1, …]`, int32/int64, indices in range or `ignoreIndex`) and returns both
 * batched (an unbatched `[C]` input gets a batch dim of 1).
 */
export function classIndexTarget(
  name: string,
  input: Tensor,
  target: Tensor,
  ignoreIndex: number | null,
): { x: Tensor; t: Tensor; C: number; unbatched: boolean } {
  if (input.rank === 0) {
    throw new Error(`${name}: input must have shape [C], [N, C] or [N, C, d1, …], got a scalar`);
  }
  const unbatched = input.rank === 1;
  const want = unbatched ? [] : [input.shape[0]!, ...input.shape.slice(2)];
  if (!sameShape(target.shape, want)) {
    throw new Error(
      `${name}: target shape ${fmtShape(target.shape)} does not match input shape ${fmtShape(input.shape)}; ` +
        `expected class indices of shape ${fmtShape(want)}`,
    );
  }
  checkIndexDType(name, target);
  const C = input.shape[unbatched ? 0 : 1]!;
  checkClassRange(name, target, input, C, ignoreIndex);
  return unbatched ? { x: input.unsqueeze(0), t: target.unsqueeze(0), C, unbatched } : { x: input, t: target, C, unbatched };
}

/** A class-index target: tensors as given, plain arrays / numbers as int64. */
export function indexTarget(t: TensorLike): Tensor {
  return isTensor(t) ? t : tensor(t, undefined, 'int64');
}
