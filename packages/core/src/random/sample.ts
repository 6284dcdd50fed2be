import { fromNumbers, isFloat, type DType } from '../dtypes.js';
import { sizeOf, type Shape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { fromStorage } from '../ops/tensor-factory.js';
import { resolveGenerator, type Generator } from './generator.js';

/** Options of the random ops. */
export interface RandomOptions {
  /** The generator to draw from (default: the global one, see `manualSeed`). */
  generator?: Generator;
  /** Output dtype. */
  dtype?: DType;
}

/** Throws unless `shape` is a list of non-negative integers. */
export function checkShape(shape: Shape, op: string): void {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new Error(`${op}: invalid shape [${Array.isArray(shape) ? shape.join(',') : String(shape)}]`);
  }
}

/** Throws unless `dtype` is a float dtype. */
export function checkFloatDType(dtype: DType, op: string): void {
  if (!isFloat(dtype)) throw new Error(`${op}: dtype must be a float dtype, got ${dtype}`);
}

/**
 * A uniform [0, 1) sampler whose values stay below 1 after rounding to `dtype`
 * (53 random bits for float64, 24 for float32, 11 for float16).
 */
export function unitSampler(g: Generator, dtype: DType): () => number {
  if (dtype === 'float64') return () => g.nextFloat();
  if (dtype === 'float16') return () => (g.nextUint32() >>> 21) / 2048;
  return () => g.nextFloat32();
}

/** Fills a tensor of `shape`/`dtype` with `draw()` values, in row-major order. */
export function sampleTensor(shape: Shape, dtype: DType, op: string, draw: (g: Generator) => () => number, gen?: Generator): Tensor {
  checkShape(shape, op);
  const n = sizeOf(shape);
  const next = draw(resolveGenerator(gen));
  const vals = new Float64Array(n);
  for (let i = 0; i < n; i++) vals[i] = next();
  return fromStorage(fromNumbers(vals, dtype), [...shape], dtype, op);
}
