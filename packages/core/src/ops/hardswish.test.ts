import { describe, expect, it } from 'vitest';
import { grad, hardswish, tensor, type Tensor } from '../index.js';

const vals = (t: Tensor) => Array.from(t.dataSync());

describe('hardswish', () => {
  it('is x · relu6(x + 3) / 6, promoting ints to float32', () => {
    const y = hardswish(tensor([-4, -3, 0, 1, 3, 4], undefined, 'int32'));
    expect(y.dtype).toBe('float32');
    expect(vals(y)).toEqual([-0, -0, 0, Math.fround(1 / 1.5), 3, 4]); // -4·0 is -0, as in PyTorch
    expect(vals(tensor([-1.5]).hardswish())).toEqual([-0.375]);
  });

  it("has PyTorch's gradient: 0 below -3, x/3 + 1/2 on [-3, 3] (ends included), 1 above", () => {
    const g = grad((t: Tensor) => hardswish(t).sum())(tensor([-4, -3, -1.5, 0, 3, 4], undefined, 'float64'));
    expect(vals(g)).toEqual([0, -0.5, 0, 0.5, 1.5, 1]);
  });
});
