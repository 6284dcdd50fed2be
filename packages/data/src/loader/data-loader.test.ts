import { describe, expect, it } from 'vitest';
import { arange, dispose, memory, tensor, type Tensor } from '@mapnn/core';
import { ArrayDataset, Subset, type AsyncDataset, type Dataset } from '../dataset/dataset.js';
import { TensorDataset } from '../dataset/tensor-dataset.js';
import { WeightedRandomSampler } from '../imbalance/weighted-random-sampler.js';
import { DataLoader } from './data-loader.js';

const ids = (b: { y: Tensor }) => Array.from(b.y.dataSync());

function tensorData(n: number) {
  const x = arange(n * 2).reshape([n, 2]);
  const y = arange(n, undefined, undefined, 'int32');
  return { x, y, ds: new TensorDataset({ x, y }) };
}

function epochs<T extends { y: Tensor }>(loader: Iterable<T>, count: number): number[][][] {
  const out: number[][][] = [];
  for (let e = 0; e < count; e++) {
    const batches: number[][] = [];
    for (const b of loader) {
      batches.push(ids(b));
      dispose(b);
    }
    out.push(batches);
  }
  return out;
}

describe('DataLoader', () => {
  it('batches in order, with a smaller last batch unless dropLast', () => {
    const { ds } = tensorData(10);
    const loader = new DataLoader(ds, { batchSize: 4 });
    expect(loader.length).toBe(3);
    expect(epochs(loader, 1)[0]).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
    const dropped = new DataLoader(ds, { batchSize: 4, dropLast: true });
    expect(dropped.length).toBe(2);
    expect(epochs(dropped, 1)[0]).toEqual([[0, 1, 2, 3], [4, 5, 6, 7]]);
  });

  it('shuffles deterministically by seed, differently each epoch, covering every sample once per epoch', () => {
    const { ds } = tensorData(37);
    const a = epochs(new DataLoader(ds, { batchSize: 8, shuffle: true, seed: 42 }), 3);
    const b = epochs(new DataLoader(ds, { batchSize: 8, shuffle: true, seed: 42 }), 3);
    const c = epochs(new DataLoader(ds, { batchSize: 8, shuffle: true, seed: 43 }), 1);
    expect(a).toEqual(b);
    expect(c[0]).not.toEqual(a[0]);
    expect(a[1]).not.toEqual(a[0]);
    for (const epoch of a) {
      expect(epoch.map((batch) => batch.length)).toEqual([8, 8, 8, 8, 5]);
      expect(epoch.flat().sort((p, q) => p - q)).toEqual(Array.from({ length: 37 }, (_, i) => i));
    }
  });

  it('keeps x and y rows together', () => {
    const { ds } = tensorData(9);
    for (const b of new DataLoader(ds, { batchSize: 4, shuffle: true, seed: 1 })) {
      const y = Array.from(b.y.dataSync());
      expect(b.x.arraySync()).toEqual(y.map((i) => [2 * i, 2 * i + 1]));
      dispose(b);
    }
  });

  it('collates per-sample datasets and frees the sample tensors', () => {
    const ds: Dataset<{ x: Tensor; y: number }> = { length: 6, get: (i) => ({ x: tensor([i, -i]), y: i % 3 }) };
    const before = memory().numTensors;
    const batches = [...new DataLoader(ds, { batchSize: 4 })];
    expect(batches.map((b) => b.x.shape)).toEqual([
      [4, 2],
      [2, 2],
    ]);
    expect(Array.from(batches[0]!.y.dataSync())).toEqual([0, 1, 2, 0]);
    expect(memory().numTensors - before).toBe(4); // two batches × {x, y}
    dispose(batches);
    expect(memory().numTensors).toBe(before);
  });

  it('batches a Subset, through getBatch when the inner dataset has it', () => {
    const { ds } = tensorData(10);
    const sub = new Subset(ds, [9, 7, 5, 3, 1]);
    expect(epochs(new DataLoader(sub, { batchSize: 2 }), 1)[0]).toEqual([[9, 7], [5, 3], [1]]);
    const plain = new Subset(new ArrayDataset([{ y: 0 }, { y: 1 }, { y: 2 }]), [2, 0]);
    expect(plain.getBatch).toBeUndefined();
    expect(epochs(new DataLoader(plain, { batchSize: 2 }), 1)[0]).toEqual([[2, 0]]);
  });

  it('accepts a custom collate and does not dispose tensors the dataset owns', () => {
    const owned = [tensor([1]), tensor([2]), tensor([3])];
    const loader = new DataLoader(new ArrayDataset(owned), { batchSize: 2, collate: (s) => s.length });
    expect([...loader]).toEqual([2, 1]);
    expect(owned.every((t) => !t.isDisposed)).toBe(true);
  });

  it('iterates sync and async iterable datasets in stream order', async () => {
    function* gen() {
      for (let i = 0; i < 7; i++) yield { x: new Float32Array([i]), y: i };
    }
    const sync = [...new DataLoader({ [Symbol.iterator]: gen }, { batchSize: 3 })];
    expect(sync.map((b) => Array.from(b.y.dataSync()))).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
    async function* agen() {
      for (let i = 0; i < 7; i++) {
        await new Promise((r) => setTimeout(r, 1));
        yield { x: new Float32Array([i]), y: i };
      }
    }
    const got: number[][] = [];
    for await (const b of new DataLoader({ [Symbol.asyncIterator]: agen }, { batchSize: 3, dropLast: true })) got.push(Array.from(b.y.dataSync()));
    expect(got).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
    expect(() => new DataLoader({ [Symbol.iterator]: gen }, { shuffle: true })).toThrow(/need a map-style dataset/);
    expect(() => [...new DataLoader({ [Symbol.asyncIterator]: agen })]).toThrow(/only async-iterable; use for await/);
  });

  it('prefetches the next batch of an async dataset while the current one is consumed', async () => {
    const started: number[] = [];
    const ds: AsyncDataset<{ x: number; y: number }> = {
      length: 8,
      get: async (i) => {
        started.push(i);
        await new Promise((r) => setTimeout(r, 2));
        return { x: i * 10, y: i };
      },
    };
    const seen: number[][] = [];
    const loader = new DataLoader(ds, { batchSize: 2, prefetch: 1 });
    for await (const b of loader) {
      const y = Array.from(b.y.dataSync());
      // while batch k is in our hands, batch k+1 has already been requested
      expect(started).toContain(Math.min(y[0]! + 2, 6));
      seen.push(y);
    }
    expect(seen).toEqual([
      [0, 1],
      [2, 3],
      [4, 5],
      [6, 7],
    ]);
    expect(() => [...loader]).toThrow(/asynchronous/);
    // prefetch 0: nothing is requested ahead
    started.length = 0;
    for await (const b of new DataLoader(ds, { batchSize: 2, prefetch: 0 })) {
      expect(Math.max(...started)).toBe(Array.from(b.y.dataSync())[1]);
    }
  });

  it('async iteration over an indexable dataset matches sync iteration, and an early break frees prefetched batches', async () => {
    const { ds } = tensorData(20);
    const sync = epochs(new DataLoader(ds, { batchSize: 3, shuffle: true, seed: 5 }), 1)[0];
    const got: number[][] = [];
    for await (const b of new DataLoader(ds, { batchSize: 3, shuffle: true, seed: 5, prefetch: 2 })) {
      got.push(ids(b));
      dispose(b);
    }
    expect(got).toEqual(sync);
    const before = memory().numTensors;
    for await (const b of new DataLoader(ds, { batchSize: 3, prefetch: 3 })) {
      dispose(b);
      break;
    }
    await new Promise((r) => setTimeout(r, 5));
    expect(memory().numTensors).toBe(before);
  });

  it('draws indices from a sampler', () => {
    const { ds } = tensorData(10);
    const w = Array.from({ length: 10 }, (_, i) => (i === 3 ? 1 : 0));
    const loader = new DataLoader(ds, { batchSize: 5, sampler: new WeightedRandomSampler(w, 10, { seed: 0 }) });
    expect(loader.length).toBe(2);
    expect(epochs(loader, 1)[0]!.flat()).toEqual(Array(10).fill(3));
    expect(() => new DataLoader(ds, { shuffle: true, sampler: new WeightedRandomSampler(w, 2) })).toThrow(/either shuffle or sampler/);
  });

  it('validates options', () => {
    const { ds } = tensorData(3);
    expect(() => new DataLoader(ds, { batchSize: 0 })).toThrow(/batchSize must be a positive integer/);
    expect(() => new DataLoader(ds, { prefetch: -1 })).toThrow(/prefetch/);
  });
});
