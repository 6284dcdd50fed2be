/**
 * A map-style dataset: `length` samples, read by index (PyTorch's `Dataset`).
 *
 * A sample may be anything the loader's collate function understands; the default collation
 * handles tensors, numbers, booleans, typed arrays, strings, tuples and `{x, y}`-like objects.
 * Datasets may add `getBatch(indices)` to build a whole batch at once (the `DataLoader` uses it
 * instead of `get` + collate when no custom `collate` is given).
 *
 * @example
 * const squares: Dataset<{ x: number; y: number }> = { length: 10, get: (i) => ({ x: i, y: i * i }) };
 */
export interface Dataset<T> {
  readonly length: number;
  get(index: number): T;
  /** Optional fast path: the collated batch of `indices`. */
  getBatch?(indices: readonly number[]): unknown;
}

/** A map-style dataset whose samples arrive asynchronously (e.g. read from disk or the network). */
export interface AsyncDataset<T> {
  readonly length: number;
  get(index: number): Promise<T>;
}

/** A dataset that can only be iterated (a stream): any `Iterable`. */
export type IterableDataset<T> = Iterable<T>;

/** An asynchronous stream of samples: any `AsyncIterable`. */
export type AsyncIterableDataset<T> = AsyncIterable<T>;

/** Anything a `DataLoader` can read samples of type `T` from. */
export type AnyDataset<T> = Dataset<T> | AsyncDataset<T> | IterableDataset<T> | AsyncIterableDataset<T>;

/** Whether `x` is a map-style (indexable) dataset: it has a numeric `length` and a `get` method. */
export function isIndexable<T>(x: AnyDataset<T>): x is Dataset<T> | AsyncDataset<T> {
  const d = x as { length?: unknown; get?: unknown };
  return typeof d.length === 'number' && typeof d.get === 'function';
}

/** Throws a clear error unless `i` is an integer index in `[0, length)`. */
export function checkIndex(i: number, length: number, what: string): void {
  if (!Number.isInteger(i) || i < 0 || i >= length) {
    throw new RangeError(`${what}: index ${i} is out of range for a dataset of ${length} samples`);
  }
}

/**
 * A dataset over an in-memory array of samples.
 *
 * @example new ArrayDataset([{ x: [1, 2], y: 0 }, { x: [3, 4], y: 1 }]).get(1) // { x: [3, 4], y: 1 }
 */
export class ArrayDataset<T> implements Dataset<T> {
  constructor(private readonly items: readonly T[]) {}
  get length(): number {
    return this.items.length;
  }
  get(index: number): T {
    checkIndex(index, this.items.length, 'ArrayDataset.get');
    return this.items[index]!;
  }
}

/**
 * The samples of `dataset` at `indices`, in that order (PyTorch's `Subset`).
 *
 * @example new Subset(dataset, [4, 0, 2]).get(0) // dataset.get(4)
 */
export class Subset<T> implements Dataset<T> {
  readonly indices: Int32Array;
  /** Present when the underlying dataset has `getBatch`: batches of the mapped indices. */
  readonly getBatch?: (indices: readonly number[]) => unknown;

  constructor(
    readonly dataset: Dataset<T>,
    indices: ArrayLike<number>,
  ) {
    this.indices = Int32Array.from(indices);
    for (const i of this.indices) checkIndex(i, dataset.length, 'Subset');
    const inner = dataset.getBatch;
    if (typeof inner === 'function') {
      this.getBatch = (batch) =>
        inner.call(
          dataset,
          batch.map((i) => {
            checkIndex(i, this.indices.length, 'Subset.getBatch');
            return this.indices[i]!;
          }),
        );
    }
  }
  get length(): number {
    return this.indices.length;
  }
  get(index: number): T {
    checkIndex(index, this.indices.length, 'Subset.get');
    return this.dataset.get(this.indices[index]!);
  }
}

/**
 * A dataset whose samples are `fn(dataset.get(i), i)` — a per-sample transform.
 *
 * @example mapDataset(ds, ({ x, y }) => ({ x: x.map((v) => v / 255), y }))
 */
export function mapDataset<T, U>(dataset: Dataset<T>, fn: (sample: T, index: number) => U): Dataset<U> {
  return {
    get length() {
      return dataset.length;
    },
    get: (i: number) => fn(dataset.get(i), i),
  };
}
