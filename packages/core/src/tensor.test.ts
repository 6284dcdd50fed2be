import { describe, expect, it } from 'vitest';
import { cast, full, ones, scalar, setCheckNumerics, tensor, zeros } from './index.js';

describe('tensor creation and dtypes', () => {
  it('infers shape and dtype from nested arrays and typed arrays', () => {
    const a = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(a.shape).toEqual([2, 3]);
    expect(a.dtype).toBe('float32');
    expect(tensor(new Int32Array([1, 2])).dtype).toBe('int32');
    expect(tensor([true, false]).dtype).toBe('bool');
    expect(tensor(new Float64Array([1])).dtype).toBe('float64');
    expect(scalar(3).shape).toEqual([]);
    expect(a.arraySync()).toEqual([[1, 2, 3], [4, 5, 6]]);
  });

  it('rejects ragged arrays and wrong sizes with a clear message', () => {
    expect(() => tensor([[1, 2], [3]])).toThrow(/ragged/);
    expect(() => tensor([1, 2, 3], [2, 2])).toThrow(/3 values do not fill shape \[2,2\]/);
  });

  it('int64 is exact within ±(2^53-1) and range-checked', () => {
    const t = tensor(new BigInt64Array([9007199254740991n, -5n]));
    expect(t.dtype).toBe('int64');
    expect(Array.from(t.dataSync())).toEqual([9007199254740991, -5]);
    expect(() => tensor(new BigInt64Array([9007199254740993n]))).toThrow(RangeError);
    expect(() => tensor([2 ** 60], undefined, 'int64')).toThrow(RangeError);
  });

  it('float16 is a storage dtype: values round to half precision, compute in float32', () => {
    const h = tensor([1, 0.1, 65504, 70000], undefined, 'float16');
    const v = Array.from(h.dataSync());
    expect(v[0]).toBe(1);
    expect(v[1]).toBeCloseTo(0.0999755859375, 12); // nearest half to 0.1
    expect(v[2]).toBe(65504);
    expect(v[3]).toBe(Infinity); // overflow
    const s = h.add(tensor([1, 1, 0, 0], undefined, 'float16'));
    expect(s.dtype).toBe('float16');
    expect(s.dataSync()[0]).toBe(2);
  });

  it('casts truncate toward zero and bool is != 0', () => {
    expect(Array.from(cast(tensor([1.7, -1.7, 0]), 'int32').dataSync())).toEqual([1, -1, 0]);
    expect(Array.from(cast(tensor([0.5, 0, -2]), 'bool').dataSync())).toEqual([1, 0, 1]);
  });

  it('promotes dtypes like PyTorch', () => {
    expect(tensor([1], undefined, 'int32').add(tensor([1.5])).dtype).toBe('float32');
    expect(tensor([1], undefined, 'int32').add(2).dtype).toBe('int32');
    expect(tensor([1], undefined, 'int32').add(2.5).dtype).toBe('float32');
    expect(tensor([1], undefined, 'int32').div(2).dtype).toBe('float32');
    expect(tensor([1], undefined, 'float64').mul(tensor([1])).dtype).toBe('float64');
  });

  it('creation helpers fill values', () => {
    expect(Array.from(zeros([2, 2]).dataSync())).toEqual([0, 0, 0, 0]);
    expect(Array.from(ones([3], 'int32').dataSync())).toEqual([1, 1, 1]);
    expect(Array.from(full([2], 7).dataSync())).toEqual([7, 7]);
    expect(ones([0, 3]).size).toBe(0);
  });

  it('prints like PyTorch', () => {
    expect(tensor([[1, 2], [3, 4]]).toString()).toBe('tensor([[1, 2], [3, 4]], shape=[2,2], dtype=float32)');
  });

  it('async data() matches dataSync()', async () => {
    const t = tensor([1, 2, 3]);
    expect(Array.from(await t.data())).toEqual([1, 2, 3]);
    expect(await t.array()).toEqual([1, 2, 3]);
  });

  it('checkNumerics names the op that produced NaN or Inf', () => {
    setCheckNumerics(true);
    try {
      expect(() => tensor([-1, 1]).log()).toThrow(/checkNumerics: op 'log' produced NaN at flat index 0/);
      expect(() => tensor([0]).div(0)).toThrow(/op 'div'/);
    } finally {
      setCheckNumerics(false);
    }
  });

  it('shape errors name the op and the shapes', () => {
    expect(() => tensor([1, 2, 3]).add(tensor([1, 2]))).toThrow(/add: shapes \[3\] and \[2\] cannot be broadcast/);
    expect(() => tensor([[1, 2]]).matmul(tensor([[1, 2]]))).toThrow(/matmul: shapes \[1,2\] and \[1,2\] are not aligned/);
  });
});
