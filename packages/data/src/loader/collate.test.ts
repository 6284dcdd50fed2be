import { describe, expect, it } from 'vitest';
import { tensor } from '@mapnn/core';
import { createCollate, defaultCollate } from './collate.js';

describe('defaultCollate', () => {
  it('collates {x, y} objects of typed arrays and numbers', () => {
    const b = defaultCollate([
      { x: new Float32Array([1, 2]), y: 0 },
      { x: new Float32Array([3, 4]), y: 2 },
    ]);
    expect(b.x.shape).toEqual([2, 2]);
    expect(b.x.dtype).toBe('float32');
    expect(b.y.dtype).toBe('int32');
    expect(Array.from(b.y.dataSync())).toEqual([0, 2]);
  });

  it('collates tuples of tensors, numbers, booleans and strings', () => {
    const [x, y, flag, name] = defaultCollate([
      [tensor([1, 2]), 0.5, true, 'a'],
      [tensor([3, 4]), 1, false, 'b'],
    ] as [ReturnType<typeof tensor>, number, boolean, string][]);
    expect(x.arraySync()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(y.dtype).toBe('float32');
    expect(Array.from(y.dataSync())).toEqual([0.5, 1]);
    expect(flag.dtype).toBe('bool');
    expect(name).toEqual(['a', 'b']);
  });

  it('keeps typed-array dtypes and nests', () => {
    const b = defaultCollate([{ img: { px: new Uint8Array([1, 2, 3]) }, id: new Int32Array([7]) }, { img: { px: new Uint8Array([4, 5, 6]) }, id: new Int32Array([8]) }]);
    expect(b.img.px.dtype).toBe('uint8');
    expect(b.img.px.shape).toEqual([2, 3]);
    expect(b.id.dtype).toBe('int32');
    expect(createCollate({ numbers: 'float32' })([1, 2]).dtype).toBe('float32');
  });

  it('names the sample and key path of mismatches', () => {
    expect(() => defaultCollate([{ x: 1 }, { x: 'a' }] as { x: unknown }[])).toThrow('collate: at sample.x, sample 1 is a string but sample 0 is a number');
    expect(() => defaultCollate([tensor([1, 2]), tensor([1, 2, 3])])).toThrow(/sample 1 is a tensor \[3\] float32 but sample 0 is a tensor \[2\] float32/);
    expect(() => defaultCollate([new Float32Array(2), new Float32Array(3)])).toThrow(/sample 1 has length 3 but sample 0 has 2/);
    expect(() => defaultCollate([{ a: 1 }, { b: 1 }] as object[])).toThrow(/keys \{b\} but sample 0 has \{a\}/);
    expect(() => defaultCollate([])).toThrow(/no samples/);
  });
});
