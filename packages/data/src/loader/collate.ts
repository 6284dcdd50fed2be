import { fromStorage, isTensor, stack, type DType, type Tensor } from '@mapnn/core';

/** The batch type the default collation makes from samples of type `T`. */
export type Collated<T> = T extends Tensor | number | boolean | ArrayBufferView
  ? Tensor
  : T extends string
    ? string[]
    : T extends readonly unknown[]
      ? { -readonly [K in keyof T]: Collated<T[K]> }
      : T extends object
        ? { -readonly [K in keyof T]: Collated<T[K]> }
        : never;

/** Options of `createCollate`. */
export interface CollateOptions {
  /**
   * Dtype of batches of plain numbers: `'auto'` (default) gives int32 when every number in the
   * batch is an integer (class labels) and float32 otherwise; or a fixed dtype.
   */
  numbers?: 'auto' | DType;
}

/**
 * Builds a collate function that turns a list of samples into one batch, recursively:
 * - tensors of equal shape → stacked along a new first dim (`[B, ...shape]`);
 * - numbers → a `[B]` tensor (see `numbers`); booleans → bool `[B]`;
 * - typed arrays of equal length → `[B, length]` with the array's dtype (`Float32Array` →
 *   float32, `Int32Array` → int32, `Uint8Array` → uint8, `Float64Array` → float64, …);
 * - strings → the array of strings;
 * - arrays (tuples) → a tuple of batches, position by position;
 * - plain objects (e.g. `{x, y}`) → an object of batches, key by key.
 * Mismatched samples throw an error naming the sample and the key path.
 *
 * @example
 * createCollate()([{ x: new Float32Array([1, 2]), y: 0 }, { x: new Float32Array([3, 4]), y: 1 }])
 * // { x: float32 [[1, 2], [3, 4]], y: int32 [0, 1] }
 */
export function createCollate(options: CollateOptions = {}): <T>(samples: readonly T[]) => Collated<T> {
  const numbers = options.numbers ?? 'auto';
  return <T>(samples: readonly T[]) => {
    if (samples.length === 0) throw new Error('collate: no samples to collate');
    return collateAt(samples as readonly unknown[], 'sample', numbers) as Collated<T>;
  };
}

/** The default collation (`createCollate()`); see there. */
export const defaultCollate: <T>(samples: readonly T[]) => Collated<T> = createCollate();

function describe(v: unknown): string {
  if (isTensor(v)) return `a tensor [${v.shape.join(',')}] ${v.dtype}`;
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`;
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (v === null) return 'null';
  return `a ${typeof v}`;
}

function collateAt(items: readonly unknown[], path: string, numbers: 'auto' | DType): unknown {
  const first = items[0];
  const mismatch = (i: number) =>
    new Error(`collate: at ${path}, sample ${i} is ${describe(items[i])} but sample 0 is ${describe(first)}`);
  if (isTensor(first)) {
    items.forEach((v, i) => {
      if (!isTensor(v)) throw mismatch(i);
      if (v.shape.length !== first.shape.length || v.shape.some((d, k) => d !== first.shape[k]) || v.dtype !== first.dtype) {
        throw new Error(
          `collate: at ${path}, sample ${i} is ${describe(v)} but sample 0 is ${describe(first)} (tensors must match in shape and dtype)`,
        );
      }
    });
    return stack(items as Tensor[], 0);
  }
  if (typeof first === 'number') {
    const vals = items.map((v, i) => {
      if (typeof v !== 'number') throw mismatch(i);
      return v;
    });
    const dtype = numbers === 'auto' ? (vals.every(Number.isInteger) ? 'int32' : 'float32') : numbers;
    return fromNumbers(vals, [vals.length], dtype);
  }
  if (typeof first === 'boolean') {
    return fromStorage(
      Uint8Array.from(items, (v, i) => {
        if (typeof v !== 'boolean') throw mismatch(i);
        return v ? 1 : 0;
      }),
      [items.length],
      'bool',
      'collate',
    );
  }
  if (typeof first === 'string') {
    return items.map((v, i) => {
      if (typeof v !== 'string') throw mismatch(i);
      return v;
    });
  }
  if (ArrayBuffer.isView(first) && !(first instanceof DataView)) {
    const len = (first as unknown as ArrayLike<number>).length;
    const ctor = first.constructor;
    items.forEach((v, i) => {
      if (!ArrayBuffer.isView(v) || v.constructor !== ctor) throw mismatch(i);
      if ((v as unknown as ArrayLike<number>).length !== len) {
        throw new Error(`collate: at ${path}, sample ${i} has length ${(v as unknown as ArrayLike<number>).length} but sample 0 has ${len}`);
      }
    });
    return typedBatch(items as unknown as ArrayLike<number>[], len, first);
  }
  if (Array.isArray(first)) {
    return first.map((_, k) => {
      const column = items.map((v, i) => {
        if (!Array.isArray(v) || v.length !== first.length) throw mismatch(i);
        return v[k];
      });
      return collateAt(column, `${path}[${k}]`, numbers);
    });
  }
  if (first !== null && typeof first === 'object') {
    const keys = Object.keys(first);
    const out: Record<string, unknown> = {};
    items.forEach((v, i) => {
      if (v === null || typeof v !== 'object' || Array.isArray(v) || isTensor(v)) throw mismatch(i);
      const ks = Object.keys(v);
      if (ks.length !== keys.length || !keys.every((k) => k in (v as object))) {
        throw new Error(`collate: at ${path}, sample ${i} has keys {${ks.join(', ')}} but sample 0 has {${keys.join(', ')}}`);
      }
    });
    for (const k of keys) out[k] = collateAt(items.map((v) => (v as Record<string, unknown>)[k]), `${path}.${k}`, numbers);
    return out;
  }
  throw new Error(`collate: at ${path}, cannot collate ${describe(first)}`);
}

function typedBatch(arrays: ArrayLike<number>[], len: number, first: ArrayBufferView): Tensor {
  const n = arrays.length;
  const shape = [n, len];
  const copy = <A extends { set(a: ArrayLike<number>, o: number): void }>(out: A): A => {
    arrays.forEach((a, i) => out.set(a, i * len));
    return out;
  };
  if (first instanceof Float32Array) return fromStorage(copy(new Float32Array(n * len)), shape, 'float32', 'collate');
  if (first instanceof Float64Array) return fromStorage(copy(new Float64Array(n * len)), shape, 'float64', 'collate');
  if (first instanceof Int32Array) return fromStorage(copy(new Int32Array(n * len)), shape, 'int32', 'collate');
  if (first instanceof Int8Array) return fromStorage(copy(new Int8Array(n * len)), shape, 'int8', 'collate');
  if (first instanceof Uint8Array || first instanceof Uint8ClampedArray) {
    return fromStorage(copy(new Uint8Array(n * len)), shape, 'uint8', 'collate');
  }
  if (first instanceof Int16Array || first instanceof Uint16Array) return fromStorage(copy(new Int32Array(n * len)), shape, 'int32', 'collate');
  if (first instanceof Uint32Array) return fromStorage(copy(new Float64Array(n * len)), shape, 'int64', 'collate');
  if (first instanceof BigInt64Array) {
    const out = new Float64Array(n * len);
    arrays.forEach((a, i) => {
      for (let j = 0; j < len; j++) {
        const v = Number((a as unknown as BigInt64Array)[j]!);
        if (!Number.isSafeInteger(v)) throw new RangeError(`collate: BigInt64Array value outside int64 storage range ±(2^53 − 1)`);
        out[i * len + j] = v;
      }
    });
    return fromStorage(out, shape, 'int64', 'collate');
  }
  throw new Error(`collate: cannot collate a ${first.constructor.name}`);
}

function fromNumbers(vals: number[], shape: number[], dtype: DType): Tensor {
  switch (dtype) {
    case 'float32':
      return fromStorage(Float32Array.from(vals), shape, dtype, 'collate');
    case 'float64':
    case 'int64':
      return fromStorage(Float64Array.from(vals), shape, dtype, 'collate');
    case 'int32':
      return fromStorage(Int32Array.from(vals), shape, dtype, 'collate');
    case 'int8':
      return fromStorage(Int8Array.from(vals), shape, dtype, 'collate');
    case 'uint8':
    case 'bool':
      return fromStorage(Uint8Array.from(vals), shape, dtype, 'collate');
    default:
      throw new Error(`collate: numbers cannot be collated to ${dtype}`);
  }
}
