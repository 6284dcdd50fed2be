import { broadcastShapes, broadcastStrides, cast, fromStorage, isFloat, reshape, sizeOf, tensor, type DType, type Tensor, type TypedArray } from '@mapnn/core';
import { OnnxRunError } from '../errors.js';
import type { ConvertContext, OnnxNode } from '../converter.js';

/**
 * Integer values known on the host for tensors made from host data (Shape, Constant,
 * initializers), so shape computations need no device read-back.
 */
const hostInts = new WeakMap<Tensor, number[]>();

export function rememberInts(t: Tensor, values: readonly number[]): Tensor {
  hostInts.set(t, [...values]);
  return t;
}

/** The values of a (small) tensor as numbers: from the host cache, else read synchronously. */
export function readInts(t: Tensor): number[] {
  const c = hostInts.get(t);
  if (c) return c;
  if (isFloat(t.dtype)) throw new Error(`expected an integer tensor (shape, axes, indices …), got ${t.dtype} [${t.shape.join(',')}]`);
  const v = Array.from(t.dataSync() as ArrayLike<number>);
  if (!isFloat(t.dtype)) hostInts.set(t, v);
  return v;
}

export function readFloats(t: Tensor): number[] {
  return Array.from(t.dataSync() as ArrayLike<number>);
}

/** An int64 tensor from host values (remembered for readInts). */
export function intTensor(values: readonly number[], shape: readonly number[] = [values.length], dtype: DType = 'int64'): Tensor {
  return rememberInts(tensor(Array.from(values), shape, dtype), values);
}

/** Default largest element count an op may create from data-dependent sizes (ConstantOfShape, Expand, Tile, Pad, Resize, Conv …). */
export const MAX_RUNTIME_ELEMENTS = 2 ** 28;

/**
 * Default largest number of Loop iterations in one run of a model: body runs of every Loop node
 * added up, nested loops included (so a loop inside a loop cannot multiply the work).
 */
export const MAX_LOOP_ITERATIONS = 1_000_000;

/**
 * Default largest number of Loop iterations in one run while gradients are recorded (training
 * mode with grad on): every iteration's tensors then stay alive until backward.
 */
export const MAX_RECORDED_LOOP_ITERATIONS = 100_000;

/** Bounds of one run (the module sets them around a run, the importer around folding). */
export interface RunLimits {
  /** Largest element count of a tensor whose size depends on data (checkElements, Loop scan outputs). */
  maxElements: number;
  maxLoopIterations: number;
  maxRecordedLoopIterations: number;
}

const DEFAULT_LIMITS: RunLimits = {
  maxElements: MAX_RUNTIME_ELEMENTS,
  maxLoopIterations: MAX_LOOP_ITERATIONS,
  maxRecordedLoopIterations: MAX_RECORDED_LOOP_ITERATIONS,
};

let limits: RunLimits = DEFAULT_LIMITS;
/** Loop iterations run so far under the current limits. */
let loopIterations = 0;

/** Runs `fn` under `bounds` (defaults for what it leaves out) with a fresh Loop iteration budget. */
export function withRunLimits<T>(bounds: Partial<RunLimits>, fn: () => T): T {
  const prev = limits;
  const prevIterations = loopIterations;
  limits = {
    maxElements: bounds.maxElements ?? DEFAULT_LIMITS.maxElements,
    maxLoopIterations: bounds.maxLoopIterations ?? DEFAULT_LIMITS.maxLoopIterations,
    maxRecordedLoopIterations: bounds.maxRecordedLoopIterations ?? DEFAULT_LIMITS.maxRecordedLoopIterations,
  };
  loopIterations = 0;
  try {
    return fn();
  } finally {
    limits = prev;
    loopIterations = prevIterations;
  }
}

/** The element limit of data-dependent sizes in the current run. */
export function runtimeElementLimit(): number {
  return limits.maxElements;
}

/**
 * Counts one Loop body run against the run's budget; throws an OnnxRunError naming the node
 * and the option to raise once the budget is spent.
 */
export function countLoopIteration(node: OnnxNode, recording: boolean): void {
  loopIterations++;
  if (recording && loopIterations > limits.maxRecordedLoopIterations && limits.maxRecordedLoopIterations < limits.maxLoopIterations) {
    fail(
      node,
      `more than ${limits.maxRecordedLoopIterations} iterations of Loop bodies in one run while recording gradients ` +
        `(each iteration's tensors stay alive until backward); raise maxRecordedLoopIterations, or run in eval mode or under noGrad`,
    );
  }
  if (loopIterations > limits.maxLoopIterations) {
    fail(node, `more than ${limits.maxLoopIterations} iterations of Loop bodies in one run (nested loops included); raise maxLoopIterations to allow more`);
  }
}

/** Throws an OnnxRunError before an op allocates a tensor of `shape` beyond the element limit. */
export function checkElements(node: OnnxNode, shape: readonly number[], what = 'output'): void {
  let n = 1;
  for (const d of shape) {
    if (!Number.isSafeInteger(d) || d < 0) throw new OnnxRunError(`${describe(node)}: invalid ${what} dim ${d} in [${shape.join(',')}]`, { where: node.name });
    n *= d;
  }
  if (n > limits.maxElements) {
    throw new OnnxRunError(`${describe(node)}: ${what} shape [${shape.join(',')}] has ${n} elements, more than the limit of ${limits.maxElements}`, {
      where: node.name,
    });
  }
}

export function describe(node: OnnxNode): string {
  return `${node.opType} node '${node.name}'`;
}

export function fail(node: OnnxNode, msg: string): never {
  throw new OnnxRunError(`${describe(node)}: ${msg}`, { where: node.name });
}

export function normAxis(node: OnnxNode, axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(a) || a < 0 || a >= Math.max(rank, 1)) fail(node, `axis ${axis} is out of range for rank ${rank}`);
  return a;
}

/** Requires input `i` to be present. */
export function need(inputs: readonly (Tensor | undefined)[], i: number, node: OnnxNode): Tensor {
  const t = inputs[i];
  if (!t) fail(node, `input ${i} is required`);
  return t;
}

/** Ints from an optional input given as a tensor (opset ≥ N form), else undefined. */
export function optInts(t: Tensor | undefined): number[] | undefined {
  return t ? readInts(t) : undefined;
}

/**
 * `x` unchanged, for converters' no-op shortcuts (all-zero Pad, one-input Concat/Sum …): a new
 * tensor object sharing `x`'s storage that stays on the autograd graph (its gradient flows to
 * `x`, unlike `x.detach()`), so the runner may free it on its own like any op's output.
 */
export function passThrough(x: Tensor): Tensor {
  return reshape(x, x.shape);
}

/** Casts when the dtype differs. */
export function castIf(x: Tensor, dtype: DType): Tensor {
  return x.dtype === dtype ? x : cast(x, dtype);
}

/**
 * Elementwise op computed on the host (for niche ops with no core composition: asin, atan …).
 * Not differentiable; float16 results are rounded by core's storage conversion.
 */
export function hostUnary(x: Tensor, fn: (v: number) => number, dtype: DType = x.dtype): Tensor {
  const src = x.dataSync();
  const compute: DType = dtype === 'float16' ? 'float32' : dtype;
  const out = makeArray(compute, src.length);
  for (let i = 0; i < src.length; i++) out[i] = fn(src[i]!);
  const t = fromStorage(out, x.shape, compute, 'onnx');
  return dtype === 'float16' ? cast(t, 'float16') : t;
}

export function makeArray(dtype: DType, n: number): TypedArray {
  switch (dtype) {
    case 'float32':
      return new Float32Array(n);
    case 'float64':
    case 'int64':
      return new Float64Array(n);
    case 'int32':
      return new Int32Array(n);
    case 'int8':
      return new Int8Array(n);
    case 'uint8':
    case 'bool':
      return new Uint8Array(n);
    case 'float16':
      return new Float32Array(n);
  }
}

/** A host-computed tensor from plain values of `dtype` (float16 via float32). */
export function fromValues(values: ArrayLike<number>, shape: readonly number[], dtype: DType): Tensor {
  const compute: DType = dtype === 'float16' ? 'float32' : dtype;
  const arr = makeArray(compute, values.length);
  for (let i = 0; i < values.length; i++) arr[i] = values[i]!;
  const t = fromStorage(arr, shape, compute, 'onnx');
  return dtype === 'float16' ? cast(t, 'float16') : t;
}

/** Helper for converters: reads an input that must be known at import time. */
export function constInts(ctx: ConvertContext, i: number): number[] | undefined {
  const c = ctx.constant(i);
  return c ? readInts(c) : undefined;
}

// Shape arithmetic is core's (one owner); re-exported for the converters.
export { sizeOf, stridesOf } from '@mapnn/core';

/** NumPy broadcast of two shapes (core's `broadcastShapes`), or null when they do not broadcast. */
export function broadcastShape(a: readonly number[], b: readonly number[]): number[] | null {
  try {
    return broadcastShapes('broadcast', a, b);
  } catch {
    return null;
  }
}

/** Host elementwise binary op with broadcasting (for niche integer ops such as BitShift). */
export function hostBinary(node: OnnxNode, a: Tensor, b: Tensor, fn: (x: number, y: number) => number, dtype: DType = a.dtype): Tensor {
  const shape = broadcastShape(a.shape, b.shape);
  if (!shape) fail(node, `shapes [${a.shape.join(',')}] and [${b.shape.join(',')}] do not broadcast`);
  const av = a.dataSync();
  const bv = b.dataSync();
  const n = sizeOf(shape);
  const out = new Array<number>(n);
  const sa = broadcastStrides(a.shape, shape);
  const sb = broadcastStrides(b.shape, shape);
  const idx = new Array<number>(shape.length).fill(0);
  for (let i = 0; i < n; i++) {
    let ia = 0;
    let ib = 0;
    for (let d = 0; d < shape.length; d++) {
      ia += idx[d]! * sa[d]!;
      ib += idx[d]! * sb[d]!;
    }
    out[i] = fn(av[ia]!, bv[ib]!);
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++idx[d]! < shape[d]!) break;
      idx[d] = 0;
    }
  }
  return fromValues(out, shape, dtype);
}
