import { dispose, Generator, isTensor, scalar, tidy, type Tensor } from '@mapnn/core';
import { isIndexable, type AnyDataset, type AsyncDataset, type Dataset } from '../dataset/dataset.js';
import { defaultCollate, type Collated } from './collate.js';
import { RandomSampler, SequentialSampler, type Sampler } from './sampler.js';

/** Options of `DataLoader`. */
export interface DataLoaderOptions<T, B> {
  /** Samples per batch (default 1). */
  batchSize?: number;
  /** Reshuffle the sample order every epoch (indexable datasets only; default false). */
  shuffle?: boolean;
  /** Seed of the shuffling generator (ignored when `generator` is given). */
  seed?: number;
  /** Generator to shuffle with; default `new Generator(seed)`, else core's global generator. */
  generator?: Generator;
  /** Drop the last batch when it is smaller than `batchSize` (default false). */
  dropLast?: boolean;
  /** Turns a list of samples into a batch (default `defaultCollate`). */
  collate?: (samples: T[]) => B;
  /** Custom index order, e.g. a `WeightedRandomSampler` (excludes `shuffle`). */
  sampler?: Sampler;
  /** Batches prepared ahead of the one being consumed in async iteration (default 1; 0 = none). */
  prefetch?: number;
}

/**
 * Batches the samples of a dataset (PyTorch's `DataLoader`). Each `for … of` (sync) or
 * `for await … of` (async) over the loader is one epoch.
 *
 * - Map-style datasets (`length` + `get`) are read in the order of the sampler: sequential, a
 *   new seeded permutation per epoch with `shuffle`, or a custom `sampler`. Datasets with
 *   `getBatch` (e.g. `TensorDataset`) build each batch in one step when no `collate` is given.
 * - Iterable and async-iterable datasets are batched in stream order (no shuffling).
 * - Async iteration prepares up to `prefetch` batches ahead, so reading the next batch (an async
 *   `get`, a stream) overlaps with the work on the current one. Sync iteration needs a
 *   synchronous dataset.
 *
 * Memory: each batch is new tensors owned by the caller (dispose them, or run the step in a
 * `tidy`). Tensors a dataset creates in `get` and that collation does not return are disposed
 * by the loader; datasets that cache tensors across calls must `keep()` them. Leaving a loop
 * early disposes batches that were prefetched but not delivered.
 *
 * @example
 * const loader = new DataLoader(new TensorDataset({ x, y }), { batchSize: 32, shuffle: true, seed: 0 });
 * for (let epoch = 0; epoch < 3; epoch++) {
 *   for (const { x: xb, y: yb } of loader) {
 *     // … train on xb [32, …], yb [32]
 *     dispose([xb, yb]);
 *   }
 * }
 */
export class DataLoader<T, B = Collated<T>> implements Iterable<B>, AsyncIterable<B> {
  readonly batchSize: number;
  readonly dropLast: boolean;
  readonly prefetch: number;
  readonly sampler?: Sampler;
  private readonly collate?: (samples: T[]) => B;

  constructor(
    readonly dataset: AnyDataset<T>,
    options: DataLoaderOptions<T, B> = {},
  ) {
    this.batchSize = options.batchSize ?? 1;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1) {
      throw new Error(`DataLoader: batchSize must be a positive integer, got ${options.batchSize}`);
    }
    this.dropLast = options.dropLast ?? false;
    this.prefetch = options.prefetch ?? 1;
    if (!Number.isInteger(this.prefetch) || this.prefetch < 0) {
      throw new Error(`DataLoader: prefetch must be a non-negative integer, got ${options.prefetch}`);
    }
    this.collate = options.collate;
    const indexable = isIndexable(dataset);
    if (options.sampler && options.shuffle) throw new Error('DataLoader: pass either shuffle or sampler, not both');
    if (!indexable && (options.shuffle || options.sampler)) {
      throw new Error('DataLoader: shuffle and sampler need a map-style dataset (length + get); this dataset is only iterable');
    }
    if (indexable) {
      const n = (dataset as Dataset<T>).length;
      if (options.sampler) this.sampler = options.sampler;
      else if (options.shuffle) {
        this.sampler = new RandomSampler(n, { generator: options.generator ?? (options.seed !== undefined ? new Generator(options.seed) : undefined) });
      } else this.sampler = new SequentialSampler(n);
    }
  }

  /** Batches per epoch (map-style datasets or a sampler only). */
  get length(): number {
    if (!this.sampler) throw new Error('DataLoader.length: an iterable dataset has no known length');
    const n = this.sampler.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /** The index lists of one epoch's batches (draws a new order from a random sampler). */
  private *batchIndices(): Generator_<number[]> {
    const size = (this.dataset as Dataset<T>).length;
    let batch: number[] = [];
    for (const i of this.sampler!) {
      if (!Number.isInteger(i) || i < 0 || i >= size) throw new RangeError(`DataLoader: sampler gave index ${i}, outside [0, ${size})`);
      batch.push(i);
      if (batch.length === this.batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0 && !this.dropLast) yield batch;
  }

  /** Collates `samples` (made since tensor id `mark`), disposing sample tensors the batch does not contain. */
  private collateOwned(samples: T[], made: (t: Tensor) => boolean): B {
    const collate = this.collate ?? (defaultCollate as unknown as (s: T[]) => B);
    const batch = tidy(() => collate(samples));
    const inBatch = new Set<Tensor>();
    collectTensors(batch, inBatch);
    const stale = new Set<Tensor>();
    collectTensors(samples, stale);
    for (const t of stale) if (!inBatch.has(t) && made(t) && !t.isDisposed) t.dispose();
    return batch;
  }

  private syncBatch(indices: number[]): B {
    const ds = this.dataset as Dataset<T>;
    if (!this.collate && typeof ds.getBatch === 'function') return ds.getBatch(indices) as B;
    const collate = this.collate ?? (defaultCollate as unknown as (s: T[]) => B);
    return tidy(() => {
      const samples = indices.map((i) => {
        const s = ds.get(i);
        if (s instanceof Promise) throw new Error('DataLoader: this dataset is asynchronous (get returns a Promise); use for await … of');
        return s;
      });
      return collate(samples);
    });
  }

  private async asyncBatch(indices: number[]): Promise<B> {
    const ds = this.dataset as Dataset<T> | AsyncDataset<T>;
    if (!this.collate && typeof (ds as Dataset<T>).getBatch === 'function') {
      return (await (ds as Dataset<T>).getBatch!(indices)) as B;
    }
    const mark = tensorIdMark();
    const samples = await Promise.all(indices.map((i) => ds.get(i)));
    return this.collateOwned(samples, (t) => t.id > mark);
  }

  /** One epoch, synchronously. */
  *[Symbol.iterator](): Iterator<B> {
    if (this.sampler) {
      for (const idx of this.batchIndices()) yield this.syncBatch(idx);
      return;
    }
    const ds = this.dataset as Iterable<T>;
    if (typeof (ds as Iterable<T>)[Symbol.iterator] !== 'function') {
      throw new Error('DataLoader: this dataset is only async-iterable; use for await … of');
    }
    let buf: T[] = [];
    let mark = tensorIdMark();
    for (const s of ds) {
      buf.push(s);
      if (buf.length === this.batchSize) {
        const m = mark;
        const b = this.collateOwned(buf, (t) => t.id > m);
        buf = [];
        yield b;
        mark = tensorIdMark();
      }
    }
    if (buf.length > 0 && !this.dropLast) {
      const m = mark;
      yield this.collateOwned(buf, (t) => t.id > m);
    } else disposeMade(buf, mark);
  }

  /** One epoch, asynchronously, with `prefetch` batches prepared ahead. */
  async *[Symbol.asyncIterator](): AsyncIterator<B> {
    const next = this.sampler ? this.indexedBatches() : this.streamBatches();
    const queue: Promise<IteratorResult<B>>[] = [];
    try {
      for (;;) {
        if (queue.length === 0) queue.push(next());
        const r = await queue.shift()!;
        if (r.done) {
          queue.length = 0;
          return;
        }
        // start the next `prefetch` batches before the consumer works on this one
        while (queue.length < this.prefetch) queue.push(next());
        yield r.value;
      }
    } finally {
      // disposes prefetched, undelivered batches when the loop ends early
      for (const p of queue) p.then((r) => !r.done && dispose(r.value), () => {});
      queue.length = 0;
    }
  }

  /** A function returning successive batches of a map-style dataset (done after the last). */
  private indexedBatches(): () => Promise<IteratorResult<B>> {
    const it = this.batchIndices();
    return async () => {
      const r = it.next();
      if (r.done) return { done: true, value: undefined };
      return { done: false, value: await this.asyncBatch(r.value) };
    };
  }

  /** A function returning successive batches of an (async) stream; calls are serialised. */
  private streamBatches(): () => Promise<IteratorResult<B>> {
    const ds = this.dataset as AsyncIterable<T> & Iterable<T>;
    const it: AsyncIterator<T> | Iterator<T> =
      typeof ds[Symbol.asyncIterator] === 'function' ? ds[Symbol.asyncIterator]() : ds[Symbol.iterator]();
    let chain: Promise<unknown> = Promise.resolve();
    let finished = false;
    const read = async (): Promise<IteratorResult<B>> => {
      if (finished) return { done: true, value: undefined };
      const mark = tensorIdMark();
      const buf: T[] = [];
      while (buf.length < this.batchSize) {
        const r = await it.next();
        if (r.done) {
          finished = true;
          break;
        }
        buf.push(r.value);
      }
      if (buf.length === 0 || (buf.length < this.batchSize && this.dropLast)) {
        disposeMade(buf, mark);
        return { done: true, value: undefined };
      }
      return { done: false, value: this.collateOwned(buf, (t) => t.id > mark) };
    };
    return () => {
      const p = chain.then(read);
      chain = p.catch(() => {});
      return p;
    };
  }
}

type Generator_<T> = globalThis.Generator<T, void, unknown>;

/** The id of a tensor made now: tensors with larger ids were made later. */
function tensorIdMark(): number {
  const t = scalar(0);
  const id = t.id;
  t.dispose();
  return id;
}

/** Disposes the tensors in `samples` made after `mark` (samples the loader dropped). */
function disposeMade(samples: unknown, mark: number): void {
  const found = new Set<Tensor>();
  collectTensors(samples, found);
  for (const t of found) if (t.id > mark && !t.isDisposed) t.dispose();
}

function collectTensors(x: unknown, out: Set<Tensor>, seen = new Set<unknown>()): void {
  if (x === null || typeof x !== 'object' || seen.has(x)) return;
  seen.add(x);
  if (isTensor(x)) {
    out.add(x);
    return;
  }
  if (Array.isArray(x)) for (const v of x) collectTensors(v, out, seen);
  else if (x instanceof Map) for (const v of x.values()) collectTensors(v, out, seen);
  else if (!ArrayBuffer.isView(x)) for (const v of Object.values(x)) collectTensors(v, out, seen);
}
