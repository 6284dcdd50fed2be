import { describe, expect, it } from 'vitest';
import { memory, tensor } from '@mapnn/core';
import { ArrayDataset, mapDataset, Subset } from './dataset.js';
import { TensorDataset } from './tensor-dataset.js';

describe('datasets', () => {
  it('ArrayDataset, Subset and mapDataset index samples and check ranges', () => {
    const ds = new ArrayDataset(['a', 'b', 'c', 'd']);
    expect(ds.length).toBe(4);
    expect(ds.get(2)).toBe('c');
    expect(() => ds.get(4)).toThrow('ArrayDataset.get: index 4 is out of range for a dataset of 4 samples');
    const sub = new Subset(ds, [3, 0]);
    expect([sub.get(0), sub.get(1)]).toEqual(['d', 'a']);
    expect(() => new Subset(ds, [9])).toThrow(/index 9 is out of range/);
    const upper = mapDataset(sub, (s, i) => `${s.toUpperCase()}${i}`);
    expect(upper.length).toBe(2);
    expect(upper.get(1)).toBe('A1');
  });

  it('TensorDataset gives rows of a record or a tuple, and whole batches', () => {
    const x = tensor([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const y = tensor([0, 1, 2], [3], 'int32');
    const ds = new TensorDataset({ x, y });
    expect(ds.length).toBe(3);
    const s = ds.get(1);
    expect(s.x.shape).toEqual([2]);
    expect(Array.from(s.x.dataSync())).toEqual([3, 4]);
    expect(s.y.shape).toEqual([]);
    expect(s.y.item()).toBe(1);
    const b = ds.getBatch([2, 0]);
    expect(b.x.arraySync()).toEqual([
      [5, 6],
      [1, 2],
    ]);
    expect(Array.from(b.y.dataSync())).toEqual([2, 0]);
    const tuple = new TensorDataset([x, y] as const);
    const [tx, ty] = tuple.get(2);
    expect(Array.from(tx.dataSync())).toEqual([5, 6]);
    expect(ty.item()).toBe(2);
    expect(() => new TensorDataset({ x, y: tensor([1, 2]) })).toThrow(/'y' has 2, expected 3/);
    expect(() => ds.get(3)).toThrow(/out of range/);
  });

  it('TensorDataset.get leaves exactly the returned tensors', () => {
    const ds = new TensorDataset({ x: tensor([[1], [2]]), y: tensor([0, 1], [2], 'int32') });
    const before = memory().numTensors;
    const s = ds.get(0);
    expect(memory().numTensors - before).toBe(2);
    s.x.dispose();
    s.y.dispose();
    expect(memory().numTensors).toBe(before);
  });
});
