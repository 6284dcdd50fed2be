import { describe, expect, it } from 'vitest';
import { cast, grad, memory, tensor, tidy } from '../index.js';

const vals = (t: { dataSync(): ArrayLike<number | bigint> }) => Array.from(t.dataSync(), Number);

describe('cast gradients', () => {
  it('a same-dtype cast keeps the graph: the gradient is the identity', () => {
    const x = tensor([1, 2]);
    const g = grad((a) => cast(a, 'float32').mul(3).sum())(x);
    expect(g.dtype).toBe('float32');
    expect(vals(g)).toEqual([3, 3]);
    const d = tensor([1, 2], undefined, 'float64');
    expect(vals(grad((a) => cast(a, 'float64').mul(a).sum())(d))).toEqual([2, 4]);
  });

  it('a same-dtype cast returns a new tensor that does not alias the input', () => {
    const x = tensor([1, 2]);
    const y = cast(x, 'float32');
    expect(y).not.toBe(x);
    y.dispose();
    expect(x.isDisposed).toBe(false);
  });

  it('float → float casts of other dtypes pass the gradient back in the input dtype', () => {
    for (const [from, to] of [['float32', 'float64'], ['float64', 'float32'], ['float32', 'float16'], ['float16', 'float32']] as const) {
      const x = tensor([1, 2], undefined, from);
      const g = grad((a) => cast(a, to).mul(2).sum())(x);
      expect(g.dtype, `${from} → ${to}`).toBe(from);
      expect(vals(g), `${from} → ${to}`).toEqual([2, 2]);
    }
  });

  it('casts to integer or bool dtypes carry no gradient (as in PyTorch)', () => {
    for (const to of ['int32', 'int64', 'bool'] as const) {
      const x = tensor([1.5, 2.5]);
      const y = cast(x.requiresGrad_(), to);
      expect(y.requiresGrad, `float32 → ${to}`).toBe(false);
      // a path through an integer cast contributes nothing; the float path still flows
      const g = grad((a) => a.add(cast(cast(a, to), 'float32').mul(5)).sum())(tensor([1.5, 2.5]));
      expect(vals(g), `float32 → ${to}`).toEqual([1, 1]);
      y.dispose();
    }
  });

  it('leaves no tensors behind', () => {
    const before = memory().numTensors;
    tidy(() => {
      grad((a) => cast(a, 'float32').sum())(tensor([1, 2]));
    });
    expect(memory().numTensors).toBe(before);
  });
});
