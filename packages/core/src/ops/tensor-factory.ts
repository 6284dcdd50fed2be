import { checkInt64, fromNumbers, type DType, type TypedArray } from '../dtypes.js';
import { getBackend } from '../engine.js';
import { fmtShape, sizeOf, type Shape } from '../shape.js';
import { isTensor, Tensor } from '../tensor.js';
import { makeTensor } from './kernel.js';

import type { NestedArray, TensorLike } from '../methods/declarations.js';
export type { NestedArray, TensorLike };

function inferShape(values: NestedArray): number[] {
  const shape: number[] = [];
  let v: NestedArray = values;
  while (Array.isArray(v)) {
    shape.push(v.length);
    v = (v as readonly NestedArray[])[0] as NestedArray;
    if (v === undefined) break;
  }
  return shape;
}

function flatten(values: NestedArray, shape: number[], op: string): (number | boolean | bigint)[] {
  const out: (number | boolean | bigint)[] = [];
  const rec = (v: NestedArray, dim: number) => {
    if (dim === shape.length) {
      if (Array.isArray(v)) throw new Error(`${op}: ragged nested array (too deep at dim ${dim})`);
      out.push(v as number | boolean | bigint);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[dim]) {
      throw new Error(`${op}: ragged nested array: expected length ${shape[dim]} at dim ${dim}`);
    }
    for (const x of v as readonly NestedArray[]) rec(x, dim + 1);
  };
  rec(values, 0);
  return out;
}

function dtypeOfArray(values: TypedArray | BigInt64Array): DType {
  if (values instanceof Float32Array) return 'float32';
  if (values instanceof Float64Array) return 'float64';
  if (values instanceof Int32Array) return 'int32';
  if (values instanceof Int8Array) return 'int8';
  if (values instanceof Uint8Array) return 'uint8';
  if (values instanceof BigInt64Array) return 'int64';
  return 'float32';
}

/** Writes storage-format values of `dtype` to the active backend as a new tensor. */
export function fromStorage(values: TypedArray, shape: Shape, dtype: DType, opName = 'tensor'): Tensor {
  if (values.length !== sizeOf(shape)) {
    throw new Error(`${opName}: ${values.length} values do not fill shape ${fmtShape(shape)} (${sizeOf(shape)} expected)`);
  }
  const backend = getBackend();
  return makeTensor({ dataId: backend.write(values, dtype), shape, dtype }, backend, opName);
}

/**
 * Creates a tensor from nested arrays, a typed array or a number.
 * The dtype is inferred (typed arrays keep theirs, booleans give bool, numbers float32 as in
 * TensorFlow.js) unless given. Integers are converted by truncation toward zero.
 *
 * @example
 * tensor([[1, 2], [3, 4]]);             // float32 [2,2]
 * tensor([1, 2, 3, 4], [2, 2], 'int32');
 */
export function tensor(values: TensorLike, shape?: Shape, dtype?: DType): Tensor {
  if (isTensor(values)) {
    if (dtype && dtype !== values.dtype) throw new Error(`tensor: use cast() to change a tensor's dtype`);
    return values.detach();
  }
  let flat: ArrayLike<number>;
  let inferred: number[];
  let dt: DType;
  if (ArrayBuffer.isView(values)) {
    const arr = values as TypedArray | BigInt64Array;
    dt = dtype ?? dtypeOfArray(arr);
    inferred = [arr.length];
    if (arr instanceof BigInt64Array) {
      const nums = new Array<number>(arr.length);
      for (let i = 0; i < arr.length; i++) {
        const n = Number(arr[i]!);
        checkInt64(n, 'tensor');
        if (BigInt(n) !== arr[i]) throw new RangeError(`tensor: ${arr[i]} is outside int64 storage range ±(2^53-1)`);
        nums[i] = n;
      }
      flat = nums;
    } else {
      flat = arr;
    }
  } else {
    inferred = inferShape(values as NestedArray);
    const items = flatten(values as NestedArray, inferred, 'tensor');
    const first = items[0];
    dt = dtype ?? (typeof first === 'boolean' ? 'bool' : typeof first === 'bigint' ? 'int64' : 'float32');
    flat = items.map((v) => {
      if (typeof v === 'bigint') {
        const n = Number(v);
        if (BigInt(n) !== v || Math.abs(n) > Number.MAX_SAFE_INTEGER) {
          throw new RangeError(`tensor: ${v} is outside int64 storage range ±(2^53-1)`);
        }
        return n;
      }
      return typeof v === 'boolean' ? (v ? 1 : 0) : v;
    });
  }
  const finalShape = shape ?? inferred;
  if (sizeOf(finalShape) !== flat.length) {
    throw new Error(`tensor: ${flat.length} values do not fill shape ${fmtShape(finalShape)}`);
  }
  return fromStorage(fromNumbers(flat, dt), finalShape, dt, 'tensor');
}

/** A rank-0 tensor. */
export function scalar(value: number | boolean, dtype?: DType): Tensor {
  return tensor(value, [], dtype);
}

/** Converts `x` to a tensor; plain numbers become tensors of `dtype` (default float32). */
export function toTensor(x: TensorLike, dtype?: DType): Tensor {
  return isTensor(x) ? x : tensor(x, undefined, dtype);
}
