import { fromStorage, type DType, type Tensor, type TypedArray } from '@mapnn/core';

/** @internal An NCHW batch read into a typed array. */
export interface ImageBatch {
  /** Values, row-major NCHW. */
  data: ArrayLike<number>;
  n: number;
  c: number;
  h: number;
  w: number;
  dtype: DType;
}

/** @internal Reads an NCHW tensor; throws unless it has rank 4. */
export function readImages(x: Tensor, op: string): ImageBatch {
  if (x.rank !== 4) throw new Error(`${op}: expected an NCHW batch (rank 4), got shape [${x.shape.join(', ')}]`);
  const [n, c, h, w] = x.shape as [number, number, number, number];
  return { data: x.dataSync(), n, c, h, w, dtype: x.dtype };
}

/** @internal The dtype an op that only moves values keeps (float16 is read back as float32). */
export function movedDType(dtype: DType): DType {
  return dtype === 'float16' ? 'float32' : dtype;
}

/** @internal The float dtype an op that computes new values returns (float32 unless float64). */
export function floatDType(dtype: DType): 'float32' | 'float64' {
  return dtype === 'float64' ? 'float64' : 'float32';
}

/** @internal A zeroed storage array for `dtype` (int64 as float64, bool as bytes). */
export function allocFor(dtype: DType, size: number): TypedArray {
  switch (dtype) {
    case 'float64':
    case 'int64':
      return new Float64Array(size);
    case 'int32':
      return new Int32Array(size);
    case 'int8':
      return new Int8Array(size);
    case 'uint8':
    case 'bool':
      return new Uint8Array(size);
    default:
      return new Float32Array(size);
  }
}

/** @internal A tensor from storage values. */
export function imagesTensor(data: TypedArray, shape: readonly number[], dtype: DType, op: string): Tensor {
  return fromStorage(data, [...shape], dtype, op);
}

/** @internal Throws unless `p` is a probability. */
export function checkProbability(p: number, op: string): void {
  if (!(p >= 0 && p <= 1)) throw new Error(`${op}: p must be in [0, 1], got ${p}`);
}

/** @internal `[lo, hi]` from a number `d` (→ `[-d, d]`) or a pair. */
export function symmetricRange(v: number | readonly [number, number], op: string, what: string): [number, number] {
  const r: [number, number] = typeof v === 'number' ? [-Math.abs(v), Math.abs(v)] : [v[0], v[1]];
  if (!(r[0] <= r[1])) throw new Error(`${op}: ${what} range must be [lo, hi] with lo ≤ hi, got [${r.join(', ')}]`);
  return r;
}
